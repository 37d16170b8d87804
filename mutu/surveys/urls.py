from django.urls import path

from mutu.surveys import views

app_name = "surveys"
urlpatterns = [
    path("s/<slug:token>/", views.survey_form, name="form"),
    path("s/<slug:token>/terima-kasih/", views.survey_thanks, name="thanks"),
    path("kios/sw.js", views.kiosk_service_worker, name="kiosk_service_worker"),
    path("kios/<slug:token>/", views.kiosk_page, name="kiosk"),
    path("kios/<slug:token>/kirim/", views.kiosk_submit, name="kiosk_submit"),
    path("survei/unit/<int:unit_pk>/kios/", views.kiosk_list, name="kiosk_list"),
    path("hasil/<int:unit_pk>/", views.public_results, name="public_results"),
    path("hasil/<int:unit_pk>/lencana.svg", views.badge, name="badge"),
    path("survei/", views.period_list, name="period_list"),
    path("survei/pemda/<int:pemda_pk>/periode/tambah/", views.period_create, name="period_create"),
    path("survei/periode/<int:pk>/", views.period_detail, name="period_detail"),
    path("survei/periode/<int:pk>/populasi/", views.population_import, name="population_import"),
    path("survei/periode/<int:pk>/status/", views.period_status, name="period_status"),
    path("survei/periode/<int:pk>/unit/<int:unit_pk>/", views.unit_result, name="unit_result"),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/respons/",
        views.response_list,
        name="response_list",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/kertas/", views.paper_entry, name="paper_entry"
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/kertas/impor/",
        views.paper_import,
        name="paper_import",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/pertanyaan/",
        views.extra_questions,
        name="extra_questions",
    ),
    path("survei/templat-kuesioner-kertas.xlsx", views.paper_template, name="paper_template"),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/kertas/templat.xlsx",
        views.paper_template_unit,
        name="paper_template_unit",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/kertas/kuesioner-kosong.pdf",
        views.paper_blank_pdf,
        name="paper_blank_pdf",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/tindak-lanjut/",
        views.follow_up,
        name="follow_up",
    ),
    path("survei/rtl/<int:pk>/ubah/", views.rtl_edit, name="rtl_edit"),
    path("survei/unit/<int:unit_pk>/tautan/", views.link_list, name="link_list"),
    path("survei/tautan/<int:pk>/ganti/", views.link_rotate, name="link_rotate"),
    path("survei/tautan/<int:pk>/qr.svg", views.link_qr, name="link_qr"),
    path("survei/tautan/<int:pk>/poster/", views.link_poster, name="link_poster"),
    path("survei/tautan/<int:pk>/poster.pdf", views.link_poster_pdf, name="link_poster_pdf"),
]
