from django.urls import path

from mutu.reports import views

app_name = "reports"
urlpatterns = [
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/laporan/", views.skm_report, name="skm_report"
    ),
    path("laporan/<int:pk>/", views.job_detail, name="job"),
    path("laporan/<int:pk>/unduh/", views.job_download, name="download"),
]
