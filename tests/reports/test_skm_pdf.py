"""The Laporan SKM is a document an officer can sign (issue 12, item 4): cover with the Pemda's
logo, lembar pengesahan with the head's name and NIP, kata pengantar, daftar isi with page
numbers, unsur names, Indonesian headers, education in level order, the PermenPANRB 14/2017
table with mutu.indices' numbers, de-duplicated suggestions and the trust question apart.

The pages are rendered to PNG (pdftoppm) into a folder printed by the test, to look at."""

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from mutu.indices.decimals import format_id
from mutu.indices.ikm import UNSUR_CODES, ikm_from_answers, weighted_nrr
from mutu.indices.trust import summarize_trust
from mutu.organisations.demo import demo_logo_png
from mutu.reports.skm_pdf import dedupe_suggestions, render_skm_unit_pdf
from mutu.surveys.models import Answer, PeriodUnit, Response, RtlItem, SurveyPeriod, Unsur
from tests.factories import PemdaFactory, ServiceFactory, UnitFactory
from tests.reports.pages import save_pages_as_images
from tests.shared_world import built_once, fresh_copy

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # WeasyPrint, pdftotext, pdftoppm

# One respondent per row: (education, trust, suggestion, answers of the nine unsur).
RESPONDENTS = [
    ("S3", 4, "Antrean terlalu lama.", (4, 3, 2, 4, 3, 3, 4, 2, 3)),
    ("SD", 3, "antrean  terlalu lama", (3, 3, 2, 4, 3, 4, 4, 3, 3)),
    ("D4-S1", 2, "Antrean terlalu lama!!", (3, 2, 2, 4, 3, 3, 3, 2, 3)),
    ("SMA", 1, "Ruang tunggu panas", (2, 3, 1, 4, 2, 3, 3, 2, 2)),
    ("SMP", 4, "", (4, 4, 3, 4, 4, 4, 4, 3, 4)),
    ("D1-D3", 3, "-", (3, 3, 3, 4, 3, 3, 4, 3, 3)),
    ("S2", 4, "Terima kasih", (4, 4, 3, 4, 4, 4, 4, 4, 4)),
    ("SMA", None, "terima kasih.", (3, 3, 2, 4, 3, 3, 3, 3, 3)),
]
EDUCATION_ORDER = ["SD", "SMP", "SMA/SMK", "D1–D3", "D4/S1", "S2", "S3"]


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(scope="module")
def _rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """The unit and its report, rendered once for the module (a rendering takes seconds)."""
    roots = tmp_path_factory.mktemp("skm-pdf")
    media = override_settings(MEDIA_ROOT=roots / "media", PRIVATE_MEDIA_ROOT=roots / "private")
    with media, built_once(django_db_blocker, _member_and_report) as rendered:
        yield rendered


def _member_and_report():
    member = _member()
    return member, render_skm_unit_pdf(member, lambda _pct, _step: None)


@pytest.fixture
def member(_rendered):
    return fresh_copy(_rendered[0])


@pytest.fixture
def pdf(_rendered):
    return _rendered[1]


def _member():
    pemda = PemdaFactory(is_demo=True)
    pemda.logo.save("logo.png", ContentFile(demo_logo_png("UJI")))
    unit = UnitFactory(
        pemda=pemda,
        name="Dinas Perhubungan",
        short_name="Dishub",
        head_name="Ir. Budi Santoso, M.T.",
        head_title="Kepala Dinas Perhubungan",
        head_nip="19750317 200003 1 002",
    )
    period = SurveyPeriod.objects.create(
        pemda=pemda,
        name="Semester I 2026",
        status="closed",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
    )
    service = ServiceFactory(unit=unit, name="Uji berkala kendaraan")
    for index, (education, trust, suggestion, answers) in enumerate(RESPONDENTS):
        response = Response.objects.create(
            period=period,
            unit=unit,
            service=service,
            channel="qr",
            submitted_at=f"2026-03-{index + 2:02d}T02:00:00Z",
            education=education,
            trust=trust,
            suggestion=suggestion,
        )
        Answer.objects.bulk_create(
            Answer(response=response, period=period, unit=unit, unsur=code, value=value)
            for code, value in zip(UNSUR_CODES, answers, strict=True)
        )
    RtlItem.objects.create(
        period=period,
        unit=unit,
        unsur="waktu",
        program="Antrean daring uji berkala",
        schedule="Juli–September 2026",
        responsible="Sekretaris Dinas",
    )
    return PeriodUnit.objects.create(period=period, unit=unit, population=100)


def _text(pdf: bytes, *, layout: bool = False) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is required to read the report: apt-get install poppler-utils")
    args = [pdftotext, *(["-layout"] if layout else []), "-", "-"]
    done = subprocess.run(args, input=pdf, capture_output=True, check=True, timeout=60)
    return done.stdout.decode()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(pdf: bytes) -> list[str]:
    return _text(pdf).split("\f")


def test_pages_are_saved_as_images_to_look_at(pdf, tmp_path_factory):
    folder = tmp_path_factory.mktemp("laporan-skm-pages")
    assert len(save_pages_as_images(pdf, folder, "laporan-skm")) >= 8


def test_front_matter_cover_logo_pengesahan_pengantar_daftar_isi(pdf):
    pages = _pages(pdf)
    cover = _flat(pages[0])
    assert "LAPORAN SURVEI KEPUASAN MASYARAKAT" in cover and "DINAS PERHUBUNGAN" in cover
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf  # the logo is on the cover
    pengesahan = _flat(pages[1])
    assert "LEMBAR PENGESAHAN" in pengesahan
    for expected in (
        "Kepala Dinas Perhubungan,",
        "Ir. Budi Santoso, M.T.",
        "NIP 19750317 200003 1 002",
    ):
        assert expected in pengesahan, expected
    assert re.search(r"\w, \.{10,} \w+ \d{4}", pengesahan)  # place, the day left to the pen
    assert "KATA PENGANTAR" in _flat(pages[2])
    toc = _text(pdf, layout=True).split("\f")[3]
    assert "DAFTAR ISI" in toc
    # Every line of the table of contents ends with the page its chapter starts on.
    bab4 = re.search(r"BAB IV Analisis[ .]*?(\d+)\s*$", toc, re.MULTILINE)
    assert bab4, toc
    page_of_bab4 = int(bab4.group(1))
    assert "BAB IV ANALISIS" in _flat(pages[page_of_bab4 - 1])


def test_unsur_names_not_codes_and_indonesian_headers(pdf):
    text = _flat(_text(pdf))
    bab4 = text[text.index("BAB IV ANALISIS") : text.index("BAB V KESIMPULAN")]
    assert "Waktu penyelesaian" in bab4  # the lowest unsur, by name
    for code in ("waktu", "sarana", "persyaratan"):
        assert not re.search(rf"\b{code}\b", bab4), code
    for header in ("Layanan Responden Nilai IKM", "Pendidikan terakhir", "Jenis kelamin"):
        assert header in text, header
    assert not re.search(r"\bService\b", text)


def test_education_groups_in_level_order(pdf):
    text = _flat(_text(pdf))
    table = text[text.index("Pendidikan terakhir") :]
    positions = [table.index(f" {level} ") for level in EDUCATION_ORDER]
    assert positions == sorted(positions)


def test_per_unsur_table_numbers_are_those_of_mutu_indices(member, pdf):
    text = _flat(_text(pdf))
    expected = ikm_from_answers(
        [dict(zip(UNSUR_CODES, answers, strict=True)) for *_r, answers in RESPONDENTS]
    )
    weighted = weighted_nrr(expected)
    names = dict(Unsur.choices)
    for number, code in enumerate(UNSUR_CODES, start=1):
        nrr, w = format_id(expected.nrr[code], 2), format_id(weighted[code], 4)
        row = f"U{number} {names[code]} "
        assert row in text, row
        after = text[text.index(row) + len(row) :]
        assert after.split()[2:4] == [nrr, w], (code, after[:60])
    assert f"IKM (jumlah NRR tertimbang) {format_id(expected.ikm, 4)}" in text
    assert f"Nilai konversi IKM (IKM × 25) {expected.score_display}" in text
    assert f"Mutu pelayanan {expected.grade} Kinerja unit pelayanan {expected.label}" in text


def test_suggestions_are_deduplicated_with_a_count(pdf):
    text = _flat(_text(pdf))
    section = text[text.index("4.3 Saran dan masukan") : text.index("BAB V KESIMPULAN")]
    assert "1 Antrean terlalu lama!! 3" in section  # the newest wording, three people
    assert "2 terima kasih. 2 3 Ruang tunggu panas 1" in section
    assert section.lower().count("antrean terlalu lama") == 1
    assert " - " not in section  # no line for a dash


def test_trust_section_apart_from_the_ikm(pdf):
    text = _flat(_text(pdf))
    section = text[text.index("3.5 Kepercayaan terhadap layanan") : text.index("BAB IV ANALISIS")]
    share = summarize_trust({4: 3, 3: 2, 2: 1, 1: 1}).share_display()
    assert "tidak termasuk dalam perhitungan NRR maupun IKM" in section
    assert f"7 responden menjawab; {share}% setuju" in section  # 5 of 7 → 71,4 %
    assert "Tidak setuju 1 Kurang setuju 1 Setuju 2 Sangat setuju 3" in section


def test_table_rows_never_split_and_headers_repeat():
    css = Path("templates/reports/_print.css").read_text()
    assert re.search(r"tr[^{]*\{[^}]*break-inside:\s*avoid", css)
    assert re.search(r"thead\s*\{[^}]*table-header-group", css)


def test_dedupe_suggestions_normalises_case_spaces_and_punctuation():
    lines = dedupe_suggestions(
        ["Antrean LAMA!", "antrean lama", "Parkir sempit", "…", "Antréan lama"]
    )
    assert [(s.text, s.count) for s in lines] == [("Antrean LAMA!", 3), ("Parkir sempit", 1)]
