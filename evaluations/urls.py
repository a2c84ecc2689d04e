from django.urls import path

from evaluations import views

urlpatterns = [
    path("<uuid:course_key>/", views.survey, name="evaluation_survey"),
]
