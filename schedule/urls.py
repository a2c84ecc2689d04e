from django.urls import path

from schedule import views

urlpatterns = [
    path("cohorts/<int:cohort_id>/", views.timetable, name="schedule_timetable"),
    path("sessions/<int:session_id>/attendance/", views.attendance, name="schedule_attendance"),
    path("calendar/new/", views.calendar_feed_new, name="schedule_calendar_feed_new"),
]
