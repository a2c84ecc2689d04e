from django.urls import path

from quizzes import views

urlpatterns = [
    path("<int:quiz_id>/", views.quiz_detail, name="quiz_detail"),
    path("<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path(
        "attempts/<int:attempt_id>/q/<int:position>/",
        views.attempt_question,
        name="attempt_question",
    ),
    path("attempts/<int:attempt_id>/summary/", views.attempt_summary, name="attempt_summary"),
    path("attempts/<int:attempt_id>/offline/", views.attempt_offline, name="attempt_offline"),
    path("attempts/<int:attempt_id>/sync/", views.attempt_sync, name="attempt_sync"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/", views.attempt_result, name="attempt_result"),
    path("results/", views.my_results, name="quiz_results"),
]
