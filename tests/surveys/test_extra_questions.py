"""A unit's own questions (scale, choice, open text): asked after the nine unsur, counted apart,
never in the IKM."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys import selectors, services
from mutu.surveys.instrument import ExtraQuestion, extra_questions_of
from mutu.surveys.models import Answer, PeriodUnit, Response
from tests.factories import member
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory

pytestmark = pytest.mark.django_db


def _answers(**overrides):
    data = {f"u_{code}": "3" for code in UNSUR_CODES} | {"consent": "on"}
    data.update(overrides)
    return data


@pytest.fixture
def seat():
    return PeriodUnitFactory()


@pytest.fixture
def head(seat):
    return member(Role.UNIT_HEAD, unit=seat.unit)


def _page(seat):
    return reverse("surveys:extra_questions", args=[seat.period.pk, seat.unit.pk])


def _add(client, seat, **fields):
    data = {"kind": "scale", "text": "Antrean tertib.", "choices": ""} | fields
    return client.post(reverse("surveys:extra_question_add", args=_seat_args(seat)), data)


def _retire(client, seat, question_id):
    url = reverse("surveys:extra_question_retire", args=_seat_args(seat))
    return client.post(url, {"question": question_id})


def _seat_args(seat):
    return [seat.period.pk, seat.unit.pk]


def _questions(seat):
    return extra_questions_of(PeriodUnit.objects.get(pk=seat.pk).extra_questions)


def test_head_adds_three_kinds_and_each_is_audited(client, seat, head):
    client.force_login(head)
    assert _add(client, seat, text="Petugas memakai tanda pengenal.").status_code == 302
    _add(
        client,
        seat,
        kind="choice",
        text="Dari mana Anda tahu layanan ini?",
        choices="Teman\nMedia sosial\nSpanduk",
    )
    _add(client, seat, kind="text", text="Apa yang paling perlu diperbaiki?", required="on")
    questions = _questions(seat)
    assert [q.kind for q in questions] == ["scale", "choice", "text"]
    assert [q.id for q in questions] == ["q1", "q2", "q3"]
    assert questions[1].choices == ("Teman", "Media sosial", "Spanduk")
    assert questions[2].required and not questions[0].required
    assert DomainEvent.objects.filter(verb="survey_extra_question.added").count() == 3
    page = client.get(_page(seat)).content.decode()
    assert "Dari mana Anda tahu layanan ini?" in page and "Teman · Media sosial · Spanduk" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "choice", "choices": "Hanya satu"}, "Isi 2 sampai 8 pilihan"),
        ({"kind": "choice", "choices": "\n".join(f"P{i}" for i in range(9))}, "Isi 2 sampai 8"),
        ({"text": "   "}, "Teks pertanyaan wajib diisi."),
        ({"kind": "rating"}, "Masukkan pilihan yang valid"),
    ],
)
def test_a_bad_question_is_refused_with_a_message_and_nothing_changes(
    client, seat, head, fields, message
):
    client.force_login(head)
    response = _add(client, seat, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _questions(seat) == ()
    assert not DomainEvent.objects.filter(verb="survey_extra_question.added").exists()


@pytest.mark.parametrize("role", [Role.NATIONAL_VIEWER, Role.INSPECTOR])
def test_viewers_cannot_add_or_retire(client, seat, role):
    seat.extra_questions = [ExtraQuestion("q1", "scale", "Ruang tunggu nyaman.").to_json()]
    seat.save()
    pemda = None if role == Role.NATIONAL_VIEWER else seat.period.pemda
    client.force_login(member(role, pemda=pemda))
    assert client.get(_page(seat)).status_code == 200
    assert _add(client, seat).status_code == 403
    assert _retire(client, seat, "q1").status_code == 403
    assert len(_questions(seat)) == 1 and not _questions(seat)[0].retired


def test_the_head_of_another_unit_sees_nothing(client, seat):
    other = PeriodUnitFactory(period=seat.period)
    client.force_login(member(Role.UNIT_HEAD, unit=other.unit))
    assert client.get(_page(seat)).status_code == 404
    assert _add(client, seat).status_code == 404
    assert _questions(seat) == ()


def _seat_with_questions(seat, head):
    for kind, text, choices, required in [
        ("scale", "Ruang tunggu nyaman.", [], False),
        ("choice", "Cara datang", ["Jalan kaki", "Motor", "Mobil"], True),
        ("text", "Usul Anda", [], False),
    ]:
        services.extra_question_add(
            member=seat, actor=head, kind=kind, text=text, choices=choices, required=required
        )
    return SurveyLinkFactory(unit=seat.unit)


def test_citizen_answers_them_after_the_nine_unsur_and_the_ikm_ignores_them(client, seat, head):
    link = _seat_with_questions(seat, head)
    url = reverse("surveys:form", args=[link.token])
    page = client.get(url).content.decode()
    assert page.index("Ruang tunggu nyaman.") > page.index("penanganan pengaduan")
    assert "Jalan kaki" in page and 'name="x_q3"' in page
    reply = client.post(url, _answers(x_q1="4", x_q2="2", x_q3="Tambah kursi"))
    assert reply.status_code == 302
    stored = Response.objects.get()
    assert stored.extra == {"q1": 4, "q2": 2, "q3": "Tambah kursi"}
    assert Answer.objects.count() == 9  # own questions never become IKM answers


def test_a_required_own_question_left_empty_keeps_the_form_and_stores_nothing(client, seat, head):
    link = _seat_with_questions(seat, head)
    reply = client.post(reverse("surveys:form", args=[link.token]), _answers(x_q1="4"))
    assert reply.status_code == 200
    assert "Pilih salah satu jawaban." in reply.content.decode()
    assert Response.objects.count() == 0


def test_a_new_question_shows_at_once_on_the_cached_form(client, seat, head):
    link = SurveyLinkFactory(unit=seat.unit)
    url = reverse("surveys:form", args=[link.token])
    assert "Ruang tunggu nyaman." not in client.get(url).content.decode()
    services.extra_question_add(member=seat, actor=head, kind="scale", text="Ruang tunggu nyaman.")
    assert "Ruang tunggu nyaman." in client.get(url).content.decode()


def test_a_skippable_change_shows_at_once_on_the_cached_form(client, seat, head):
    link = SurveyLinkFactory(unit=seat.unit)
    url = reverse("surveys:form", args=[link.token])
    assert "Tidak berlaku bagi saya" not in client.get(url).content.decode()
    services.skippable_set(member=seat, codes=["biaya"], actor=head)
    assert "Tidak berlaku bagi saya" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"q1": 5}, "x_q1"),
        ({"q1": "3.0"}, "x_q1"),
        ({"q2": 4}, "x_q2"),  # only three options
        ({"q2": 0}, "x_q2"),
        ({"q3": "x" * 1001}, "x_q3"),
        ({"q1": 3}, "x_q2"),  # q2 is required
    ],
)
def test_service_refuses_bad_extra_answers_and_names_the_question(seat, head, extra, field):
    _seat_with_questions(seat, head)
    questions = _questions(seat)
    with pytest.raises(ValidationError) as error:
        services.validate_extra(questions, {"q2": 1} | extra if field != "x_q2" else extra)
    assert field in error.value.message_dict


def test_unknown_or_retired_questions_are_refused(seat, head):
    _seat_with_questions(seat, head)
    with pytest.raises(ValidationError, match="q9"):
        services.validate_extra(_questions(seat), {"q2": 1, "q9": 1})
    services.extra_question_retire(member=seat, actor=head, question_id="q1")
    with pytest.raises(ValidationError, match="q1"):
        services.validate_extra(_questions(seat), {"q2": 1, "q1": 3})
    assert services.validate_extra(_questions(seat), {"q2": 1, "q3": "  "}) == {"q2": 1}


def test_retired_question_is_no_longer_asked_but_stays_in_the_results(client, seat, head):
    link = _seat_with_questions(seat, head)
    url = reverse("surveys:form", args=[link.token])
    client.post(url, _answers(x_q1="2", x_q2="1"))
    client.force_login(head)
    _retire(client, seat, "q1")
    assert DomainEvent.objects.filter(verb="survey_extra_question.retired").exists()
    client.logout()
    assert 'name="x_q1"' not in client.get(url).content.decode()
    seat = PeriodUnit.objects.select_related("period").get(pk=seat.pk)
    results = {r.question.id: r for r in selectors.extra_results(seat.period, seat)}
    assert results["q1"].question.retired and results["q1"].answered == 1


def test_results_are_counted_in_the_database_without_quarantined_answers(client, seat, head):
    link = _seat_with_questions(seat, head)
    url = reverse("surveys:form", args=[link.token])
    for i, (scale, choice, text) in enumerate(
        [(4, 1, "kursi kurang"), (3, 2, "kursi rusak"), (2, 2, ""), (4, 3, "parkir sempit")]
    ):
        client.post(url, _answers(x_q1=scale, x_q2=choice, x_q3=text), HTTP_USER_AGENT=f"hp {i}")
    held = Response.objects.create(
        period=seat.period,
        unit=seat.unit,
        channel="web",
        submitted_at=Response.objects.first().submitted_at,
        extra={"q1": 1, "q2": 1, "q3": "kursi"},
        quarantined=True,
    )
    seat = PeriodUnit.objects.select_related("period").get(pk=seat.pk)
    scale, choice, text = selectors.extra_results(seat.period, seat)
    assert scale.answered == 4 and scale.mean == Decimal("3.25")
    assert [n for _, n in scale.counts] == [0, 1, 1, 2]
    assert choice.mean is None and choice.counts == [("Jalan kaki", 1), ("Motor", 2), ("Mobil", 1)]
    assert text.answered == 3 and ("kursi", 2, ["kursi kurang", "kursi rusak"]) in [
        (w, n, sorted(e)) for w, n, e in text.keywords
    ]
    assert held.pk not in [r.pk for r in Response.objects.filter(quarantined=False)]
    page = client.get(reverse("surveys:unit_result", args=[seat.period.pk, seat.unit.pk]))
    assert page.status_code == 302  # staff only
    client.force_login(head)
    html = client.get(reverse("surveys:unit_result", args=[seat.period.pk, seat.unit.pk]))
    assert "Pertanyaan tambahan unit (tidak masuk IKM)" in html.content.decode()
    assert "3,25" in html.content.decode()
    assert [share for _, _, share in scale.shares] == [0, 25, 25, 50]  # of the 4 who answered
    assert '<rect width="50" height="12">' in html.content.decode()


def test_a_new_period_starts_with_the_questions_still_asked(seat, head):
    _seat_with_questions(seat, head)
    services.extra_question_retire(member=seat, actor=head, question_id="q3")
    admin = member(Role.PEMDA_ADMIN, pemda=seat.period.pemda)
    start = seat.period.ends_on + timedelta(days=1)
    nxt = services.period_create(
        pemda=seat.period.pemda,
        actor=admin,
        units=[seat.unit],
        name="Semester berikutnya",
        starts_on=start,
        ends_on=start + timedelta(days=180),
    )
    carried = extra_questions_of(nxt.members.get().extra_questions)
    assert [q.id for q in carried] == ["q1", "q2"]


def test_kiosk_without_javascript_stores_own_answers(client, seat, head):
    _seat_with_questions(seat, head)
    kiosk = services.kiosk_register(unit=seat.unit, name="Tablet loket", actor=head)
    url = reverse("surveys:kiosk", args=[kiosk.token])
    assert 'name="x_q2"' in client.get(url).content.decode()
    assert client.post(url, _answers(x_q2="3")).status_code == 302
    assert Response.objects.get().extra == {"q2": 3}


def test_post_with_own_questions_stays_within_six_queries(
    client, seat, head, django_assert_max_num_queries
):
    link = _seat_with_questions(seat, head)
    url = reverse("surveys:form", args=[link.token])
    client.get(url)
    with django_assert_max_num_queries(6):
        assert client.post(url, _answers(x_q1="4", x_q2="2", x_q3="ok")).status_code == 302


def test_tabulation_has_a_sheet_of_own_answers_with_text_never_as_a_formula(
    client, seat, head, tabulation_download
):
    services.extra_question_add(
        member=seat, actor=head, kind="choice", text="=Cara datang", choices=["=Motor", "Mobil"]
    )
    services.extra_question_add(member=seat, actor=head, kind="text", text="Usul")
    link = SurveyLinkFactory(unit=seat.unit)
    client.post(reverse("surveys:form", args=[link.token]), _answers(x_q1="1", x_q2="=1+1"))
    client.force_login(head)
    content = tabulation_download(seat.period.pk, seat.unit.pk)
    sheet = load_workbook(io.BytesIO(content))["Pertanyaan tambahan"]
    assert [c.value for c in sheet[3]] == ["No", "=Cara datang", "Usul"]
    assert [c.value for c in sheet[4]] == [1, "=Motor", "=1+1"]
    assert all(c.data_type == "s" for c in sheet[4][1:])  # strings, not formulas


def _paper(seat, double=False):
    url = reverse("surveys:paper_entry", args=[seat.period.pk, seat.unit.pk])
    return url + ("?ganda=1" if double else "")


def _paper_data(**extra):
    data = {f"u_{code}": "3" for code in UNSUR_CODES}
    return data | extra


def test_paper_entry_keys_in_own_answers_and_double_entry_compares_them(client, seat, head):
    _seat_with_questions(seat, head)
    client.force_login(head)
    page = client.get(_paper(seat)).content.decode()
    assert "T2. Cara datang" in page and "1 = Jalan kaki · 2 = Motor · 3 = Mobil" in page
    assert client.post(_paper(seat), _paper_data(x_q2="4")).status_code == 200  # 3 options
    assert client.post(_paper(seat), _paper_data(x_q1="2", x_q2="3")).status_code == 302
    assert Response.objects.get().extra == {"q1": 2, "q2": 3}
    client.post(_paper(seat, True), _paper_data(double="1", x_q2="1"))
    mismatch = client.post(_paper(seat, True), _paper_data(double="1", x_q2="2"))
    assert "T2. Cara datang" in mismatch.content.decode()
    assert Response.objects.count() == 1


def test_paper_import_reads_own_answer_columns_and_reports_bad_ones(
    client, post_import, seat, head
):
    _seat_with_questions(seat, head)
    client.force_login(head)
    url = reverse("surveys:paper_import", args=[seat.period.pk, seat.unit.pk])
    header = ";".join([*UNSUR_CODES, "x_q1", "x_q2", "x_q3"])
    good = ";".join(["3"] * 9 + ["4", "2", "Parkir"])
    bad = ";".join(["3"] * 9 + ["5", "", ""])

    def upload(*lines):
        body = "\n".join([header, *lines]) + "\n"
        return post_import(url, {"file": SimpleUploadedFile("k.csv", body.encode(), "text/csv")})

    report = upload(good, bad).content.decode()
    assert "x_q1: Wajib 1–4." in report and "x_q2: Wajib 1–3." in report
    assert Response.objects.count() == 0
    upload(good)
    assert Response.objects.get().extra == {"q1": 4, "q2": 2, "q3": "Parkir"}


def test_the_latest_open_answers_quote_a_repeated_answer_once(client, seat, head):
    link = _seat_with_questions(seat, head)
    url = reverse("surveys:form", args=[link.token])
    for i, text in enumerate(["Akta kelahiran daring", "akta kelahiran daring.", "Cetak KK"]):
        client.post(url, _answers(x_q1=3, x_q2=1, x_q3=text), HTTP_USER_AGENT=f"hp {i}")
    seat = PeriodUnit.objects.select_related("period").get(pk=seat.pk)
    text = selectors.extra_results(seat.period, seat)[2]
    assert text.answered == 3
    assert text.latest == ["Cetak KK", "akta kelahiran daring."]
