from django.urls import path

from gradebook import views

urlpatterns = [
    path("<uuid:course_key>/", views.my_grades, name="gradebook_my_grades"),
]
