from django.urls import path

from mutu.core import views as core_views
from mutu.reports import views

app_name = "reports"
urlpatterns = [
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/laporan/", views.skm_report, name="skm_report"
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/tabulasi/",
        views.skm_tabulation,
        name="skm_tabulation",
    ),
    path("survei/periode/<int:pk>/rekap/", views.pemda_recap, name="pemda_recap"),
    path("laporan/<int:pk>/", views.job_detail, name="job"),
    # The one private-file view of core, with this app's resolver (decision 0006).
    path(
        "laporan/<int:pk>/unduh/",
        core_views.private_file,
        {"kind": "laporan"},
        name="download",
    ),
]
