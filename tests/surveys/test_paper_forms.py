"""Paper forms as an operator meets them (issue 12 item 5): the service date inside the period,
each questionnaire number once per unit and period (entry grid and import, within a file and
across imports), the same file never imported twice, an Indonesian template whose example row
is never imported, and a printable blank questionnaire per unit."""

import io
import subprocess
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutu.core.roles import Role
from mutu.indices.ikm import UNSUR_CODES
from mutu.organisations.models import ImportJob
from mutu.surveys.models import PeriodUnit, Response, SurveyPeriod
from tests.factories import PemdaFactory, UnitFactory, member

pytestmark = pytest.mark.django_db

OWN_QUESTIONS = [
    {"id": "q1", "kind": "scale", "text": "Petugas menjelaskan obat dengan jelas"},
    {
        "id": "q2",
        "kind": "choice",
        "text": "Dari mana Anda tahu layanan ini?",
        "choices": ["Teman", "Media sosial", "Papan"],
    },
]


@pytest.fixture
def world():
    pemda = PemdaFactory()
    unit = UnitFactory(pemda=pemda, name="UPT Puskesmas Waru")
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester II",
        status="open",
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 12, 31),
    )
    seat = PeriodUnit.objects.create(period=period, unit=unit, extra_questions=OWN_QUESTIONS)
    return {
        "pemda": pemda,
        "unit": unit,
        "period": period,
        "seat": seat,
        "operator": member(Role.UNIT_OPERATOR, unit=unit),
    }


def _args(w):
    return [w["period"].pk, w["unit"].pk]


def _form(**overrides):
    data = {f"u_{code}": "3" for code in UNSUR_CODES}
    data.update({"gender": "L", "served_on": "2026-11-20", "x_q1": "4"})
    data.update(overrides)
    return data


def _entry(client, w, **overrides):
    return client.post(reverse("surveys:paper_entry", args=_args(w)), _form(**overrides))


HEADER = "nomor_kuesioner,tanggal_layanan," + ",".join(UNSUR_CODES) + ",jenis_kelamin"


def _csv(*lines, name="kertas.csv"):
    body = "\n".join([HEADER, *lines]) + "\n"
    return SimpleUploadedFile(name, body.encode(), "text/csv")


def _row(number, served="2026-11-20"):
    return f"{number},{served}," + ",".join("3" * 9) + ",P"


def _import(post_import, w, upload, **extra):
    url = reverse("surveys:paper_import", args=_args(w))
    return post_import(url, {"file": upload, **extra}).content.decode()


# --- the service date -------------------------------------------------------------------------


@pytest.mark.parametrize("served", ["2026-06-30", "2027-01-01"])
def test_grid_refuses_a_service_date_outside_the_period(client, world, served):
    client.force_login(world["operator"])
    page = _entry(client, world, served_on=served)
    assert page.status_code == 200
    html = page.content.decode()
    assert "di luar periode Semester II (01-07-2026 s.d. 31-12-2026)" in html
    assert 'id="id_served_on-err"' in html
    assert Response.objects.count() == 0


def test_import_refuses_a_service_date_outside_the_period_with_its_line(client, post_import, world):
    client.force_login(world["operator"])
    html = _import(post_import, world, _csv(_row(1), _row(2, served="2025-11-20")))
    assert "<tr><td>3</td>" in html and "tanggal_layanan: Tanggal layanan 20-11-2025" in html
    assert Response.objects.count() == 0


# --- the questionnaire number -----------------------------------------------------------------


def test_grid_stores_the_number_and_refuses_it_a_second_time(client, world):
    client.force_login(world["operator"])
    assert _entry(client, world, paper_number="017").status_code == 302
    assert Response.objects.get().paper_number == "17"  # "017" and 17 from Excel are one form

    again = _entry(client, world, paper_number="17", u_waktu="1")

    assert again.status_code == 200
    html = again.content.decode()
    assert "Nomor kuesioner 17 sudah dientri untuk unit ini pada periode ini" in html
    assert 'id="id_paper_number-err"' in html
    assert Response.objects.count() == 1


def test_the_same_number_is_free_in_another_unit(client, world):
    other = UnitFactory(pemda=world["pemda"])
    PeriodUnit.objects.create(period=world["period"], unit=other)
    client.force_login(world["operator"])
    _entry(client, world, paper_number="5")
    client.force_login(member(Role.UNIT_OPERATOR, unit=other))
    url = reverse("surveys:paper_entry", args=[world["period"].pk, other.pk])
    assert client.post(url, _form(paper_number="5", x_q1="")).status_code == 302
    assert Response.objects.filter(paper_number="5").count() == 2


def test_import_refuses_a_number_repeated_in_the_file_naming_the_first_line(
    client, post_import, world
):
    client.force_login(world["operator"])
    html = _import(post_import, world, _csv(_row(1), _row(2), _row("001")))
    assert "Nomor kuesioner 1 sudah dipakai pada baris 2 berkas ini" in html
    assert "<tr><td>4</td>" in html and Response.objects.count() == 0

    _import(post_import, world, _csv(_row(1), _row(2), _row("001")), keep_valid="on")

    assert sorted(Response.objects.values_list("paper_number", flat=True)) == ["1", "2"]


def test_import_refuses_a_number_entered_before(client, post_import, world):
    client.force_login(world["operator"])
    _entry(client, world, paper_number="7")
    html = _import(post_import, world, _csv(_row(6), _row(7)))
    assert "<tr><td>3</td>" in html and "Nomor kuesioner 7 sudah dientri" in html
    assert Response.objects.count() == 1
    job = ImportJob.objects.get()
    assert job.status == "rejected" and job.written == 0


def test_a_number_taken_by_an_earlier_import_is_refused_in_a_later_file(client, post_import, world):
    client.force_login(world["operator"])
    _import(post_import, world, _csv(_row(1), _row(2)))
    html = _import(post_import, world, _csv(_row(3), _row(2)))  # another file, one form again
    assert "<tr><td>3</td>" in html and "Nomor kuesioner 2 sudah dientri" in html
    assert Response.objects.count() == 2


# --- the same file twice ----------------------------------------------------------------------


def test_the_same_file_is_one_job_while_queued_and_refused_once_imported(
    client, post_import, world, django_capture_on_commit_callbacks
):
    client.force_login(world["operator"])
    url = reverse("surveys:paper_import", args=_args(world))
    queued = client.post(url, {"file": _csv(_row(1), _row(2))})  # the job has not run yet
    twice = client.post(url, {"file": _csv(_row(1), _row(2))})
    assert queued.url == twice.url and ImportJob.objects.count() == 1

    from mutu.organisations import import_jobs

    import_jobs.import_run(ImportJob.objects.get().pk)
    again = client.post(url, {"file": _csv(_row(1), _row(2), name="salinan.csv")})

    assert again.status_code == 200
    html = again.content.decode()
    job = ImportJob.objects.get()
    assert "Berkas yang sama sudah diimpor ke sini pada" in html
    assert f"(impor #{job.pk}, 2 baris tersimpan)" in html
    assert "agar tidak ada baris yang dihitung dua kali" in html
    assert ImportJob.objects.count() == 1 and Response.objects.count() == 2


# --- the template -----------------------------------------------------------------------------


def _workbook(client, world):
    response = client.get(reverse("surveys:paper_template_unit", args=_args(world)))
    assert response.status_code == 200
    return response.content, openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_template_has_indonesian_columns_the_trust_and_the_units_own_questions(client, world):
    client.force_login(world["operator"])
    _content, book = _workbook(client, world)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "nomor_kuesioner",
        "tanggal_layanan",
        *UNSUR_CODES,
        "kepercayaan",
        "jenis_kelamin",
        "usia",
        "pendidikan",
        "pekerjaan",
        "tambahan_q1",
        "tambahan_q2",
        "saran",
    ]
    assert sheet["A2"].value == "CONTOH"
    notes = {row[0].value: row[1].value for row in book.worksheets[1].iter_rows()}
    assert "Petugas menjelaskan obat dengan jelas" in notes["tambahan_q1"]
    assert "1 = Teman, 2 = Media sosial, 3 = Papan" in notes["tambahan_q2"]
    assert "CONTOH tidak pernah diimpor" in notes["nomor_kuesioner"]


def test_a_period_without_the_trust_question_has_no_trust_column(client, world):
    world["period"].ask_trust = False
    world["period"].save()
    client.force_login(world["operator"])
    _content, book = _workbook(client, world)
    assert "kepercayaan" not in [cell.value for cell in book.worksheets[0][1]]


def test_the_untouched_template_imports_nothing_and_says_why(client, post_import, world):
    client.force_login(world["operator"])
    content, _book = _workbook(client, world)
    upload = SimpleUploadedFile("templat.xlsx", content, "application/octet-stream")

    html = _import(post_import, world, upload)

    assert "Baris contoh dari templat (nomor kuesioner “CONTOH”) tidak diimpor." in html
    assert "<tr><td>2</td>" in html and "Tidak ada yang disimpan" in html
    assert Response.objects.count() == 0
    # Even when the valid rows are kept, the example row is not one of them.
    _import(post_import, world, SimpleUploadedFile("t.xlsx", content), keep_valid="on")
    assert Response.objects.count() == 0


def test_a_filled_template_imports_every_column(client, post_import, world):
    client.force_login(world["operator"])
    _content, book = _workbook(client, world)
    sheet = book.worksheets[0]
    sheet["A2"] = "12"  # the officer overwrote the example with a real form
    sheet.append(["13", "2026-12-01", *[4] * 9, 2, "L", "20-29", "S2", "PNS", 1, 3, "Bagus"])
    buffer = io.BytesIO()
    book.save(buffer)

    html = _import(post_import, world, SimpleUploadedFile("isi.xlsx", buffer.getvalue()))

    assert "2 baris diimpor." in html
    last = Response.objects.get(paper_number="13")
    assert (last.trust, last.education, last.suggestion) == (2, "S2", "Bagus")
    assert last.extra == {"q1": 1, "q2": 3} and last.served_on == date(2026, 12, 1)


def test_the_old_english_columns_still_import(client, post_import, world):
    client.force_login(world["operator"])
    header = ",".join([*UNSUR_CODES, "gender", "served_on"])
    body = f"{header}\n" + ",".join("3" * 9) + ",P,2026-11-01\n"
    upload = SimpleUploadedFile("lama.csv", body.encode(), "text/csv")
    assert "1 baris diimpor." in _import(post_import, world, upload)


# --- the entry grid ---------------------------------------------------------------------------


def test_the_grid_numbers_the_unsur_1_to_9_and_marks_every_digit_box(client, world):
    client.force_login(world["operator"])
    html = client.get(reverse("surveys:paper_entry", args=_args(world))).content.decode()
    for number, label in enumerate(["Persyaratan", "Sistem, mekanisme, dan prosedur"], 1):
        assert f"{number}. {label}</label>" in html
    assert "9. Penanganan pengaduan, saran dan masukan</label>" in html
    assert "10. " not in html
    # nine unsur, the trust question and the scale/choice own questions move the cursor
    assert html.count("data-paper-digit") == 9 + 1 + 2
    assert 'src="/static/js/paper-entry.js"' in html and "<script>" not in html


def test_the_grid_stores_trust_and_number(client, world):
    client.force_login(world["operator"])
    assert _entry(client, world, paper_number="A-3", trust="4").status_code == 302
    stored = Response.objects.get()
    assert (stored.paper_number, stored.trust, stored.channel) == ("A-3", 4, "paper")


# --- the blank questionnaire -----------------------------------------------------------------


def _pdf_text(content, tmp_path):
    path = tmp_path / "kuesioner.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_blank_questionnaire_has_the_units_questions(client, world, tmp_path):
    world["seat"].skippable = ["biaya"]
    world["seat"].save()
    client.force_login(world["operator"])
    response = client.get(reverse("surveys:paper_blank_pdf", args=_args(world)))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(_pdf_text(response.content, tmp_path).split())
    assert "KUESIONER SURVEI KEPUASAN MASYARAKAT" in text
    assert "UPT Puskesmas Waru" in text and "No. kuesioner" in text
    assert "9. Bagaimana pendapat Saudara" in text  # the nine unsur, numbered
    assert "Sangat sesuai" in text and "Tidak berlaku bagi saya" in text
    assert "Saya percaya pada layanan ini." in text
    assert "T1. Petugas menjelaskan obat dengan jelas" in text and "Media sosial" in text
    assert "Saran dan masukan" in text and "Jenis kelamin" in text
    assert "Tanggal layanan" in text


@pytest.mark.parametrize("name", ["paper_blank_pdf", "paper_template_unit"])
def test_only_the_units_staff_download_its_forms(client, world, name):
    url = reverse(f"surveys:{name}", args=_args(world))
    client.force_login(member(Role.INSPECTOR, pemda=world["pemda"]))
    assert client.get(url).status_code == 403
    client.force_login(member(Role.UNIT_OPERATOR, unit=UnitFactory(pemda=world["pemda"])))
    assert client.get(url).status_code == 404
    client.force_login(member(Role.UNIT_OPERATOR, unit=UnitFactory()))
    assert client.get(url).status_code == 404


def test_the_database_refuses_a_number_typed_at_the_same_moment_elsewhere(world, monkeypatch):
    """Two operators store the same number at once: both pass the check before either has
    stored; the unique constraint refuses the second with the same message, and the
    transaction around it (an import's batch) stays usable."""
    from django.db import transaction

    from mutu.surveys import services
    from mutu.surveys.services import intake  # response_submit looks the check up there

    target = services.SurveyTarget(
        period=world["period"], unit=world["unit"], channel=Response.Channel.PAPER
    )
    meta = services.SubmissionMeta(entered_by=world["operator"])
    monkeypatch.setattr(intake, "paper_number_taken", lambda *args: False)  # the check raced
    answers = dict.fromkeys(UNSUR_CODES, 3)
    with transaction.atomic():
        services.response_submit(
            target=target, answers=answers, profile={"paper_number": "9"}, meta=meta
        )
        monkeypatch.undo()
        with pytest.raises(ValidationError) as refused:
            monkeypatch.setattr(
                intake,
                "paper_number_taken",
                _taken_after_the_insert(services.paper_number_taken),
            )
            services.response_submit(
                target=target, answers=answers, profile={"paper_number": "9"}, meta=meta
            )
        assert "Nomor kuesioner 9 sudah dientri" in refused.value.message_dict["paper_number"][0]
        assert Response.objects.filter(paper_number="9").count() == 1  # still usable


def _taken_after_the_insert(real):
    calls = []

    def taken(*args):
        calls.append(args)
        return len(calls) > 1 and real(*args)  # False before the INSERT, the truth after

    return taken
