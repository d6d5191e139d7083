from django.urls import path

from excel import views

app_name = "excel"
urlpatterns = [
    path("", views.index, name="index"),
    path("rencana/impor/", views.plan_upload, name="plan_upload"),
    path("pertemuan/<int:meeting_id>/impor/", views.meeting_upload, name="meeting_upload"),
    path("pertemuan/<int:meeting_id>/matriks2.xlsx", views.meeting_export, name="meeting_export"),
    path("pertemuan/<int:meeting_id>/matriks4.xlsx", views.matriks4_export, name="matriks4_export"),
    path("register/", views.register_export, name="register_export"),
    path("tugas/<uuid:token>/", views.job_detail, name="job_detail"),
    path("tugas/<uuid:token>/status/", views.job_status, name="job_status"),
    path("tugas/<uuid:token>/konfirmasi/", views.job_confirm, name="job_confirm"),
    path("tugas/<uuid:token>/batal/", views.job_cancel, name="job_cancel"),
    path("tugas/<uuid:token>/unduh/", views.job_download, name="job_download"),
]
