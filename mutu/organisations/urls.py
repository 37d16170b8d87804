from django.urls import path

from mutu.organisations import views

app_name = "organisations"
urlpatterns = [
    path("pemda/", views.pemda_list, name="pemda_list"),
    path("pemda/<int:pk>/ubah/", views.pemda_edit, name="pemda_edit"),
    path("pemda/<int:pemda_pk>/unit/tambah/", views.unit_create, name="unit_create"),
    path("pemda/<int:pemda_pk>/impor/<str:kind>/", views.import_view, name="import"),
    path("impor/<int:pk>/", views.import_job, name="import_job"),
    path("impor/templat/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("pemda/<int:pemda_pk>/pengguna/", views.member_list, name="member_list"),
    path("undangan/", views.invitation_list, name="invitation_list"),
    path("undangan/<int:pk>/", views.invitation_respond, name="invitation_respond"),
    path("pemda/<int:pemda_pk>/pengguna/tambah/", views.member_add, name="member_add"),
    path(
        "pemda/<int:pemda_pk>/pengguna/<int:pk>/cabut/", views.member_revoke, name="member_revoke"
    ),
    path("unit/", views.unit_list, name="unit_list"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("unit/<int:pk>/ubah/", views.unit_edit, name="unit_edit"),
    path("unit/<int:unit_pk>/layanan/tambah/", views.service_create, name="service_create"),
    path("layanan/<int:pk>/ubah/", views.service_edit, name="service_edit"),
    path("kalender/", views.holiday_list, name="holiday_list"),
    path("kalender/tambah/", views.holiday_edit, name="holiday_create"),
    path("kalender/<int:pk>/ubah/", views.holiday_edit, name="holiday_edit"),
    path("kalender/<int:pk>/hapus/", views.holiday_delete, name="holiday_delete"),
    path("kalender/impor/", views.holiday_import, name="holiday_import"),
]
