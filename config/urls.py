from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certification import views as certification_views
from cms import views as cms_views
from courses import views as courses_views
from lms import observability, views
from lms.sitemaps import MultilingualSitemap
from notifications import views as notifications_views
from schedule import views as schedule_views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    # Prometheus scrapes this; only METRICS_ALLOWED_IPS get anything but a 404.
    path("metrics", observability.metrics, name="metrics"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Browsers look for these two at fixed addresses; the worker's scope is its folder.
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    # Signed, short-lived links to private files (lms/storage.py).
    path("files/<str:token>", views.private_file, name="private_file"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": MultilingualSitemap}},
        name="sitemap",
    ),
    path("accounts/", include("lms.urls_accounts")),
    # Printed on certificates as QR codes: short, outside the language prefix, never changed.
    path("", include("certification.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    # Phones' calendars poll this address; the token in it is the only credential.
    path(
        "calendar/<uuid:public_id>/<str:token>.ics",
        schedule_views.calendar_feed,
        name="schedule_calendar_feed",
    ),
    # Telegram calls it with the secret set by setWebhook: outside the language prefix.
    path(
        "notifications/telegram/webhook/",
        notifications_views.telegram_webhook,
        name="notifications_telegram_webhook",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("dashboard/", courses_views.dashboard, name="dashboard"),
    path("offline/", views.offline_page, name="offline"),
    path("dashboard/join/", courses_views.join_cohort, name="join_cohort"),
    path("learn/lessons/<int:page_id>/done/", courses_views.lesson_done, name="lesson_done"),
    path(
        "learn/offline/<int:page_id>.json",
        courses_views.offline_list,
        name="offline_list",
    ),
    path("quizzes/", include("quizzes.urls")),
    path("schedule/", include("schedule.urls")),
    path("notifications/", include("notifications.urls")),
    path("questions/", include("discussions.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("gradebook/", include("gradebook.urls")),
    path("assignments/", include("assignments.urls")),
    path("certificates/check/", certification_views.check, name="certificate_check"),
    path("search/", cms_views.search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
