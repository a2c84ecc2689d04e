from django.urls import path

from assignments import views

urlpatterns = [
    path("<int:page_id>/work/", views.work, name="assignment_work"),
    path("<int:page_id>/files/", views.file_upload, name="assignment_file_upload"),
    path("files/<int:file_id>/", views.file_download, name="assignment_file"),
    path("files/<int:file_id>/remove/", views.file_remove, name="assignment_file_remove"),
]
