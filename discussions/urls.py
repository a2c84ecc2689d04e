from django.urls import path

from discussions import views

urlpatterns = [
    path(
        "cohorts/<int:cohort_id>/lessons/<int:lesson_id>/",
        views.lesson_questions,
        name="discussions_lesson",
    ),
    path("<int:question_id>/", views.question_detail, name="discussions_question"),
    path("answers/<int:answer_id>/accept/", views.answer_accept, name="discussions_accept"),
    path("<str:kind>/<int:post_id>/moderate/", views.moderate, name="discussions_moderate"),
    path("unanswered/", views.unanswered, name="discussions_unanswered"),
    path("moderation/", views.moderation, name="discussions_moderation"),
]
