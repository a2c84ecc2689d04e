from django.urls import path

from notifications import views

urlpatterns = [
    path("", views.inbox, name="notifications_inbox"),
    path("<int:pk>/open/", views.open_notification, name="notifications_open"),
    path("read-all/", views.mark_all_read, name="notifications_read_all"),
    path("settings/", views.preferences, name="notifications_preferences"),
    path(
        "settings/telegram/connect/",
        views.telegram_connect,
        name="notifications_telegram_connect",
    ),
    path(
        "settings/telegram/disconnect/",
        views.telegram_disconnect,
        name="notifications_telegram_disconnect",
    ),
]
