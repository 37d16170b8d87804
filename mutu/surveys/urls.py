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
    path("survei/unit/<int:unit_pk>/kios/daftar/", views.kiosk_register, name="kiosk_register"),
    path("survei/kios/<int:pk>/alamat-baru/", views.kiosk_rotate, name="kiosk_rotate"),
    path("survei/kios/<int:pk>/cabut/", views.kiosk_revoke, name="kiosk_revoke"),
    path("hasil/<int:unit_pk>/", views.public_results, name="public_results"),
    path("hasil/<int:unit_pk>/lencana.svg", views.badge, name="badge"),
    path("survei/", views.period_list, name="period_list"),
    path("survei/pemda/<int:pemda_pk>/periode/tambah/", views.period_create, name="period_create"),
    path("survei/periode/<int:pk>/", views.period_detail, name="period_detail"),
    path("survei/periode/<int:pk>/populasi/", views.population_import, name="population_import"),
    path("survei/periode/<int:pk>/status/", views.period_status, name="period_status"),
    path("survei/periode/<int:pk>/unit/<int:unit_pk>/", views.unit_result, name="unit_result"),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/populasi/",
        views.unit_population,
        name="unit_population",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/populasi-layanan/",
        views.unit_service_populations,
        name="unit_service_populations",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/unsur-dilewati/",
        views.unit_skippable,
        name="unit_skippable",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/respons/",
        views.response_list,
        name="response_list",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/respons/karantina/",
        views.response_quarantine,
        name="response_quarantine",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/respons/kembalikan/",
        views.response_release,
        name="response_release",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/respons/minta-tinjauan/",
        views.response_review_request,
        name="response_review_request",
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
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/pertanyaan/tambah/",
        views.extra_question_add,
        name="extra_question_add",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/pertanyaan/hentikan/",
        views.extra_question_retire,
        name="extra_question_retire",
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
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/tindak-lanjut/bawa/",
        views.rtl_carry_over,
        name="rtl_carry_over",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/tindak-lanjut/rtl/",
        views.rtl_create,
        name="rtl_create",
    ),
    path(
        "survei/periode/<int:pk>/unit/<int:unit_pk>/tindak-lanjut/fkp/",
        views.fkp_create,
        name="fkp_create",
    ),
    path("survei/rtl/<int:pk>/ubah/", views.rtl_edit, name="rtl_edit"),
    path("survei/unit/<int:unit_pk>/tautan/", views.link_list, name="link_list"),
    path("survei/tautan/<int:pk>/ganti/", views.link_rotate, name="link_rotate"),
    path("survei/tautan/<int:pk>/qr.svg", views.link_qr, name="link_qr"),
    path("survei/tautan/<int:pk>/poster/", views.link_poster, name="link_poster"),
    path("survei/tautan/<int:pk>/poster.pdf", views.link_poster_pdf, name="link_poster_pdf"),
]
