"""Bulk imports of units, services and holidays: every bad row reported, all or nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from mutu.core.models import DomainEvent
from mutu.core.roles import Role
from mutu.core.tabular import TabularFileError
from mutu.organisations.imports import (
    HOLIDAY_COLUMNS,
    SERVICE_COLUMNS,
    UNIT_COLUMNS,
    holidays_import,
    services_import,
    units_import,
)
from mutu.organisations.models import Holiday, ImportJob, Service, Unit
from tests.factories import PemdaFactory, ServiceFactory, UnitFactory, member

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def csv_file(text: str, name: str = "unit.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(rows: list[list[object]], name: str = "unit.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows), content_type=XLSX)


def verbs() -> list[str]:
    return sorted(DomainEvent.objects.values_list("verb", flat=True))


@pytest.fixture
def pemda(db):
    return PemdaFactory()


@pytest.fixture
def admin(pemda):
    return member(Role.PEMDA_ADMIN, pemda=pemda)


# --- units: good files -----------------------------------------------------------------------


def test_comma_csv_with_parent_on_an_earlier_line(pemda, admin):
    upload = csv_file(
        "nama_unit,singkatan,jenis,unit_induk,lintang,bujur,email\n"
        "Dinas Kesehatan,Dinkes,dinas,,-1.25,116.8,dinkes@example.go.id\n"
        "UPT Puskesmas Waru,PKM Waru,Puskesmas,dinas kesehatan,-1.3,116.55,\n"
    )

    report = units_import(pemda=pemda, upload=upload, actor=admin)

    assert (report.ok, report.written, report.created, report.errors) == (True, True, 2, [])
    dinkes = Unit.objects.get(pemda=pemda, name="Dinas Kesehatan")
    pkm = Unit.objects.get(pemda=pemda, name="UPT Puskesmas Waru")
    assert (dinkes.short_name, dinkes.kind, dinkes.parent) == ("Dinkes", "dinas", None)
    assert (dinkes.latitude, dinkes.longitude) == (Decimal("-1.25"), Decimal("116.8"))
    assert dinkes.email == "dinkes@example.go.id"
    # The label "Puskesmas" is accepted for the code "puskesmas"; the parent is matched
    # case-insensitively and the materialised path follows it.
    assert (pkm.kind, pkm.parent_id) == ("puskesmas", dinkes.pk)
    assert pkm.path == f"{dinkes.pk}/{pkm.pk}/"
    imported = DomainEvent.objects.get(verb="unit.imported")
    assert (imported.actor, imported.pemda) == (admin, pemda)
    assert imported.data == {"created": 2, "rejected": 0}
    assert DomainEvent.objects.filter(verb="unit.created", actor=admin).count() == 2


def test_semicolon_csv_with_commas_inside_values(pemda, admin):
    upload = csv_file(
        "nama_unit;jenis;unit_induk;alamat\n"
        "Dinas Kesehatan;dinas;;Jl. Provinsi Km. 9, Nipah-Nipah, Penajam\n"
        "UPT Puskesmas Sotek;puskesmas;Dinas Kesehatan;Jl. Negara, Sotek\n"
    )

    report = units_import(pemda=pemda, upload=upload, actor=admin)

    assert report.errors == []
    assert report.created == 2
    assert dict(Unit.objects.filter(pemda=pemda).values_list("name", "address")) == {
        "Dinas Kesehatan": "Jl. Provinsi Km. 9, Nipah-Nipah, Penajam",
        "UPT Puskesmas Sotek": "Jl. Negara, Sotek",
    }
    assert Unit.objects.get(name="UPT Puskesmas Sotek").parent.name == "Dinas Kesehatan"


def test_csv_with_byte_order_mark_from_excel(pemda, admin):
    upload = SimpleUploadedFile(
        "unit.csv", "nama_unit,jenis\nDinas Sosial,dinas\n".encode("utf-8-sig")
    )

    report = units_import(pemda=pemda, upload=upload, actor=admin)

    assert (report.errors, report.created) == ([], 1)
    assert Unit.objects.filter(pemda=pemda, name="Dinas Sosial").exists()


def test_xlsx_built_with_openpyxl(pemda, admin):
    upload = xlsx_file(
        [
            ["nama_unit", "jenis", "unit_induk", "lintang", "bujur", "telepon"],
            ["Dinas Kesehatan", "dinas", None, -1.25, 116.8, "0542-000000"],
            [None, None, None, None, None, None],  # an empty line is skipped, not an error
            ["RSUD Ratu Aji Putri Botung", "rsud", "Dinas Kesehatan", -1.26, 116.81, None],
        ]
    )

    report = units_import(pemda=pemda, upload=upload, actor=admin)

    assert (report.errors, report.created) == ([], 2)
    rsud = Unit.objects.get(pemda=pemda, kind="rsud")
    assert rsud.parent.name == "Dinas Kesehatan"
    assert (rsud.latitude, rsud.longitude) == (Decimal("-1.26"), Decimal("116.81"))
    assert Unit.objects.get(name="Dinas Kesehatan").phone == "0542-000000"


def test_downloaded_template_filled_in_imports(client, pemda, admin):
    UnitFactory(pemda=pemda, name="Dinas Kesehatan")  # the example row's parent
    client.force_login(admin)

    response = client.get(reverse("organisations:import_template", args=["unit"]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="templat-impor-unit.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["data", "petunjuk"]
    sheet = workbook["data"]
    assert [cell.value for cell in sheet[1]] == UNIT_COLUMNS
    sheet.append(["Dinas Sosial", "Dinsos", "dinas"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = units_import(
        pemda=pemda,
        upload=SimpleUploadedFile("templat.xlsx", buffer.getvalue()),
        actor=admin,
    )

    assert (report.errors, report.created) == ([], 2)
    example = Unit.objects.get(pemda=pemda, name="UPT Puskesmas Contoh")
    assert (example.kind, example.parent.name) == ("puskesmas", "Dinas Kesehatan")
    assert example.latitude == Decimal("-1.25")
    assert Unit.objects.get(pemda=pemda, name="Dinas Sosial").short_name == "Dinsos"


@pytest.mark.parametrize(
    ("kind", "columns"),
    [("unit", UNIT_COLUMNS), ("layanan", SERVICE_COLUMNS), ("libur", HOLIDAY_COLUMNS)],
)
def test_every_template_has_the_import_columns(client, admin, kind, columns):
    client.force_login(admin)
    response = client.get(reverse("organisations:import_template", args=[kind]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["data"]
    assert [cell.value for cell in sheet[1]] == columns
    assert sum(1 for value in next(sheet.iter_rows(min_row=2, values_only=True)) if value) >= 3


def test_template_of_an_unknown_kind_is_refused(client, admin):
    client.force_login(admin)
    assert client.get(reverse("organisations:import_template", args=["pegawai"])).status_code == 403
    client.logout()
    assert client.get(reverse("organisations:import_template", args=["unit"])).status_code == 302


# --- units: bad rows -------------------------------------------------------------------------

BAD_UNITS = (
    "nama_unit,jenis,unit_induk,lintang\n"
    "Dinas Kesehatan,dinas,,-1.25\n"  # 2 good
    "Kantor Pos,kantor pos,,\n"  # 3 invalid jenis
    "Dinas Sosial,dinas,,95\n"  # 4 latitude out of range
    "dinas kesehatan,dinas,,\n"  # 5 duplicate (case-insensitive) of line 2
    "UPT Puskesmas Waru,puskesmas,Dinas Kesehatan Hewan,\n"  # 6 unknown parent
    ",dinas,,\n"  # 7 missing name
    "\n"  # 8 empty line: skipped, but the numbering goes on
    "Dinas Lama,dinas,,\n"  # 9 already in the database
    "UPT Puskesmas Sotek,puskesmas,Dinas Kesehatan,\n"  # 10 good, child of line 2
    "Dinas Perhubungan,,,\n"  # 11 missing kind
)
BAD_LINES = [3, 4, 5, 6, 7, 9, 11]


def _assert_bad_unit_report(errors):
    assert [line for line, _message in errors] == BAD_LINES
    messages = dict(errors)
    assert messages[3].startswith("jenis: Masukkan pilihan yang valid.")
    assert "kantor pos" in messages[3]
    assert messages[4] == "lintang: Pastikan nilai ini lebih kecil dari atau sama dengan 90."
    assert messages[5] == "Unit \u201cdinas kesehatan\u201d sudah ada."
    assert messages[6].startswith("Unit induk \u201cDinas Kesehatan Hewan\u201d tidak ditemukan")
    assert messages[7] == "nama_unit: Bidang ini tidak boleh kosong."
    assert messages[9] == "Unit \u201cDinas Lama\u201d sudah ada."
    assert messages[11] == "jenis: Bidang ini tidak boleh kosong."


def test_every_bad_row_is_reported_and_nothing_is_written(pemda, admin):
    UnitFactory(pemda=pemda, name="Dinas Lama")
    events_before = DomainEvent.objects.count()

    report = units_import(pemda=pemda, upload=csv_file(BAD_UNITS), actor=admin)

    _assert_bad_unit_report(report.errors)
    assert (report.ok, report.written, report.created) == (False, False, 0)
    assert list(Unit.objects.filter(pemda=pemda).values_list("name", flat=True)) == ["Dinas Lama"]
    assert DomainEvent.objects.count() == events_before


def test_keep_valid_writes_only_the_good_rows(pemda, admin):
    UnitFactory(pemda=pemda, name="Dinas Lama")

    report = units_import(pemda=pemda, upload=csv_file(BAD_UNITS), actor=admin, keep_valid=True)

    _assert_bad_unit_report(report.errors)
    assert (report.ok, report.written, report.created) == (False, True, 2)
    assert sorted(Unit.objects.filter(pemda=pemda).values_list("name", flat=True)) == [
        "Dinas Kesehatan",
        "Dinas Lama",
        "UPT Puskesmas Sotek",
    ]
    assert Unit.objects.get(name="UPT Puskesmas Sotek").parent.name == "Dinas Kesehatan"
    event = DomainEvent.objects.get(verb="unit.imported")
    assert (event.actor, event.pemda, event.data) == (admin, pemda, {"created": 2, "rejected": 7})


def test_a_child_of_a_rejected_row_is_rejected_too(pemda, admin):
    upload = csv_file(
        "nama_unit,jenis,unit_induk\n"
        "Dinas Kesehatan,klinik,\n"
        "UPT Puskesmas Waru,puskesmas,Dinas Kesehatan\n"
    )

    report = units_import(pemda=pemda, upload=upload, actor=admin, keep_valid=True)

    assert [line for line, _m in report.errors] == [2, 3]
    assert "tidak ditemukan" in report.errors[1][1]
    assert report.created == 0
    assert not Unit.objects.filter(pemda=pemda).exists()


def test_a_parent_defined_on_a_later_line_is_rejected(pemda, admin):
    upload = csv_file(
        "nama_unit,jenis,unit_induk\n"
        "UPT Puskesmas Waru,puskesmas,Dinas Kesehatan\n"
        "Dinas Kesehatan,dinas,\n"
    )

    report = units_import(pemda=pemda, upload=upload, actor=admin)

    assert [line for line, _m in report.errors] == [2]
    assert not Unit.objects.filter(pemda=pemda).exists()


def test_a_unit_of_another_pemda_is_neither_duplicate_nor_parent(pemda, admin):
    other = UnitFactory(name="Dinas Kesehatan")  # same name, another Pemda
    upload = csv_file("nama_unit,jenis,unit_induk\nUPT Puskesmas Waru,puskesmas,Dinas Kesehatan\n")

    report = units_import(pemda=pemda, upload=upload, actor=admin)

    assert [line for line, _m in report.errors] == [2]
    report = units_import(
        pemda=pemda, upload=csv_file("nama_unit,jenis\nDinas Kesehatan,dinas\n"), actor=admin
    )
    assert report.created == 1
    assert Unit.objects.get(pemda=pemda, name="Dinas Kesehatan").pk != other.pk


def test_units_import_needs_a_pemda_admin(pemda):
    unit = UnitFactory(pemda=pemda)
    operator = member(Role.UNIT_OPERATOR, unit=unit)
    other_admin = member(Role.PEMDA_ADMIN, pemda=PemdaFactory())

    for actor in (operator, other_admin):
        with pytest.raises(PermissionDenied):
            units_import(
                pemda=pemda, upload=csv_file("nama_unit,jenis\nDinas Baru,dinas\n"), actor=actor
            )
    assert list(Unit.objects.filter(pemda=pemda)) == [unit]
    assert "unit.imported" not in verbs()


# --- file-level errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            "nama_unit,jenis\nDinas Pariwisata Café,dinas\n".encode("cp1252"),
            "unit.csv",
            "Berkas CSV harus berkodean UTF-8",
        ),
        (PNG, "unit.csv", "Jenis berkas tidak didukung"),
        (b"", "unit.csv", "Berkas kosong"),
        (b"nama_unit,singkatan\nDinas Sosial,Dinsos\n", "unit.csv", "Kolom wajib tidak ada: jenis"),
        (b"singkatan\nDinsos\n", "unit.csv", "Kolom wajib tidak ada: nama_unit, jenis"),
        (
            b"nama_unit,jenis,warna\nDinas Sosial,dinas,biru\n",
            "unit.csv",
            "Kolom tidak dikenal: warna",
        ),
        (b"PK\x03\x04" + b"\x00" * 64, "unit.xlsx", "Jenis berkas tidak didukung"),
        (
            xlsx_bytes([["nama_unit", "kode_pos"], ["Dinas Sosial", "76141"]]),
            "unit.xlsx",
            "Kolom wajib tidak ada: jenis",
        ),
        (xlsx_bytes([]), "unit.xlsx", "Berkas kosong"),
    ],
    ids=[
        "not-utf8",
        "png",
        "empty",
        "missing-column",
        "missing-columns",
        "unknown-column",
        "broken-zip",
        "xlsx-missing-column",
        "empty-xlsx",
    ],
)
def test_file_level_errors(pemda, admin, content, name, message):
    with pytest.raises(TabularFileError) as error:
        units_import(pemda=pemda, upload=SimpleUploadedFile(name, content), actor=admin)

    assert message in str(error.value)
    assert not Unit.objects.exists()
    assert verbs() == []


@override_settings(IMPORT_MAX_BYTES=100)
@pytest.mark.parametrize("with_size", [True, False], ids=["uploaded-file", "plain-stream"])
def test_a_file_bigger_than_the_limit_is_refused(pemda, admin, with_size):
    content = ("nama_unit,jenis\n" + "".join(f"Dinas {n},dinas\n" for n in range(20))).encode()
    assert len(content) > 100
    upload = SimpleUploadedFile("unit.csv", content) if with_size else io.BytesIO(content)

    with pytest.raises(TabularFileError, match="Berkas terlalu besar"):
        units_import(pemda=pemda, upload=upload, actor=admin)

    assert not Unit.objects.exists()


@override_settings(IMPORT_MAX_BYTES=100)
def test_a_file_at_the_limit_is_read(pemda, admin):
    content = b"nama_unit,jenis\nDinas Sosial,dinas\n"
    content += b"\n" * (100 - len(content))

    report = units_import(pemda=pemda, upload=SimpleUploadedFile("u.csv", content), actor=admin)

    assert report.created == 1


# --- services --------------------------------------------------------------------------------


@pytest.fixture
def dinkes(pemda):
    return UnitFactory(pemda=pemda, name="Dinas Kesehatan")


def test_services_import_with_online_flag(pemda, admin, dinkes):
    upload = csv_file(
        "nama_unit,nama_layanan,uraian,daring\n"
        "Dinas Kesehatan,Rekomendasi izin klinik,Untuk klinik pratama,ya\n"
        "dinas kesehatan,Pelayanan ambulans,,tidak\n"
        "Dinas Kesehatan,Surat laik higiene,,\n"
        "Dinas Kesehatan,Konsultasi daring,,Y\n"
    )

    report = services_import(pemda=pemda, upload=upload, actor=admin)

    assert (report.errors, report.created) == ([], 4)
    assert dict(dinkes.services.values_list("name", "is_online")) == {
        "Rekomendasi izin klinik": True,
        "Pelayanan ambulans": False,
        "Surat laik higiene": False,
        "Konsultasi daring": True,
    }
    assert dinkes.services.get(name="Rekomendasi izin klinik").description == (
        "Untuk klinik pratama"
    )
    event = DomainEvent.objects.get(verb="service.imported")
    assert (event.actor, event.pemda, event.data) == (admin, pemda, {"created": 4, "rejected": 0})
    assert DomainEvent.objects.filter(verb="service.created").count() == 4


def test_services_import_reports_every_bad_row(pemda, admin, dinkes):
    ServiceFactory(unit=dinkes, name="Pelayanan ambulans")
    foreign = UnitFactory(name="Dinas Sosial")  # another Pemda: not a unit of this one
    upload = csv_file(
        "nama_unit,nama_layanan,daring\n"
        "Dinas Kesehatan,Rekomendasi izin klinik,ya\n"  # 2 good
        "Dinas Kesehatan Hewan,Vaksinasi rabies,tidak\n"  # 3 unknown unit
        "Dinas Kesehatan,Pelayanan Ambulans,tidak\n"  # 4 already exists
        "Dinas Kesehatan,Rekomendasi izin klinik,tidak\n"  # 5 duplicate of line 2
        "Dinas Kesehatan,Imunisasi,mungkin\n"  # 6 daring neither ya nor tidak
        "Dinas Kesehatan,,ya\n"  # 7 missing service name
        f"{foreign.name},Pendaftaran DTKS,ya\n"  # 8 unit of another Pemda
    )

    report = services_import(pemda=pemda, upload=upload, actor=admin)

    messages = dict(report.errors)
    assert list(messages) == [3, 4, 5, 6, 7, 8]
    assert messages[3] == "Unit \u201cDinas Kesehatan Hewan\u201d tidak ditemukan."
    assert messages[4] == messages[5] == "Layanan ini sudah ada di unit tersebut."
    assert messages[6] == "daring: isi \u201cya\u201d atau \u201ctidak\u201d."
    assert messages[7] == "nama_layanan: Bidang ini tidak boleh kosong."
    assert messages[8] == "Unit \u201cDinas Sosial\u201d tidak ditemukan."
    assert (report.written, report.created) == (False, 0)
    assert list(dinkes.services.values_list("name", flat=True)) == ["Pelayanan ambulans"]
    assert not foreign.services.exists()

    report = services_import(
        pemda=pemda, upload=csv_file(upload_text(upload)), actor=admin, keep_valid=True
    )
    assert (report.written, report.created, len(report.errors)) == (True, 1, 6)
    assert dinkes.services.get(name="Rekomendasi izin klinik").is_online is True


def upload_text(upload: SimpleUploadedFile) -> str:
    upload.seek(0)
    return upload.read().decode()


def test_services_import_needs_a_pemda_admin(pemda, dinkes):
    head = member(Role.UNIT_HEAD, unit=dinkes)
    with pytest.raises(PermissionDenied):
        services_import(
            pemda=pemda,
            upload=csv_file("nama_unit,nama_layanan\nDinas Kesehatan,Imunisasi\n"),
            actor=head,
        )
    assert not Service.objects.exists()


# --- holidays --------------------------------------------------------------------------------


def test_national_holidays_import_creates_and_corrects(db):
    idul_adha = Holiday.objects.create(
        date=date(2026, 5, 27), name="Idul Adha (perkiraan)", kind="cuti_bersama"
    )
    upload = csv_file(
        "date,kind,name\n"
        "2026-05-27,libur_nasional,Idul Adha 1447 H\n"
        "28/05/2026,cuti_bersama,Idul Adha 1447 H\n"
        "2026-08-17,libur_nasional,Hari Proklamasi Kemerdekaan RI\n",
        name="libur.csv",
    )

    report = holidays_import(upload=upload, actor=None)

    assert (report.errors, report.created, report.written) == ([], 3, True)
    idul_adha.refresh_from_db()
    assert (idul_adha.name, idul_adha.kind) == ("Idul Adha 1447 H", "libur_nasional")
    assert Holiday.objects.filter(pemda=None).count() == 3
    assert Holiday.objects.get(date=date(2026, 5, 28)).kind == "cuti_bersama"
    corrected = DomainEvent.objects.get(verb="holiday.saved", object_id=str(idul_adha.pk))
    assert corrected.data["before"] == {"date": "2026-05-27", "name": "Idul Adha (perkiraan)"}


def test_holidays_import_rejects_a_date_twice_and_bad_rows(db):
    upload = csv_file(
        "date,kind,name\n"
        "2026-03-20,cuti_bersama,Idul Fitri 1447 H\n"
        "2026-03-21,libur_nasional,Idul Fitri 1447 H\n"
        "20/03/2026,libur_nasional,Idul Fitri 1447 H\n"  # 4: same day as line 2
        "2026-02-30,libur_nasional,Tanggal salah\n"  # 5: no such day
        "2026-04-03,libur,Wafat Yesus Kristus\n"  # 6: unknown kind
        "2026-05-01,libur_nasional,\n",  # 7: no name
        name="libur.csv",
    )

    report = holidays_import(upload=upload, actor=None)

    messages = dict(report.errors)
    assert list(messages) == [4, 5, 6, 7]
    assert messages[4] == "Tanggal ini muncul dua kali dalam berkas."
    assert messages[5] == "date: Masukkan tanggal yang valid."
    assert messages[6].startswith("kind: Masukkan pilihan yang valid.")
    assert messages[7].endswith(": Bidang ini tidak boleh kosong.")
    assert (report.written, report.created) == (False, 0)
    assert not Holiday.objects.exists()


def test_holiday_row_errors_name_the_column_as_in_the_file(db):
    # The row forms label each field with its column name so that the user finds it; "name"
    # must stay "name" (Django's catalogue would translate it to "nama", a column that the
    # file does not have).
    upload = csv_file("date,kind,name\n2026-05-01,libur_nasional,\n", name="libur.csv")

    report = holidays_import(upload=upload, actor=None)

    assert report.errors == [(2, "name: Bidang ini tidak boleh kosong.")]


def test_holidays_import_needs_the_three_columns(db):
    with pytest.raises(TabularFileError, match="Kolom wajib tidak ada: name"):
        holidays_import(upload=csv_file("date,kind\n2026-01-01,libur_nasional\n"), actor=None)


def test_pemda_holidays_import_by_its_admin(pemda, admin):
    national = Holiday.objects.create(
        date=date(2026, 8, 17), name="Hari Proklamasi", kind="libur_nasional"
    )
    upload = csv_file(
        "date,kind,name\n2026-08-17,libur_daerah,Hari jadi kabupaten\n"
        "2026-04-10,libur_daerah,Hari jadi kabupaten\n"
    )

    report = holidays_import(upload=upload, actor=admin, pemda=pemda)

    assert (report.errors, report.created) == ([], 2)
    assert Holiday.objects.filter(pemda=pemda).count() == 2
    national.refresh_from_db()
    assert (national.name, national.pemda) == ("Hari Proklamasi", None)  # untouched


def test_a_pemda_admin_cannot_import_national_holidays(pemda, admin):
    with pytest.raises(PermissionDenied):
        holidays_import(
            upload=csv_file("date,kind,name\n2026-01-01,libur_nasional,Tahun Baru\n"),
            actor=admin,
        )
    assert not Holiday.objects.exists()


# --- the import page -------------------------------------------------------------------------


@pytest.fixture
def _post_import(post_import):
    def post(client, pemda, upload, kind="unit", **extra):
        url = reverse("organisations:import", args=[pemda.pk, kind])
        return post_import(url, {"file": upload, **extra})

    return post


def test_import_page_shows_every_error_and_writes_nothing(_post_import, client, pemda, admin):
    UnitFactory(pemda=pemda, name="Dinas Lama")
    client.force_login(admin)

    response = _post_import(client, pemda, csv_file(BAD_UNITS))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak ada yang disimpan" in page
    for line in BAD_LINES:
        assert f"<tr><td>{line}</td>" in page
    assert "lintang: Pastikan nilai ini lebih kecil dari atau sama dengan 90." in page
    assert "Unit induk \u201cDinas Kesehatan Hewan\u201d tidak ditemukan" in page
    assert Unit.objects.filter(pemda=pemda).count() == 1
    assert "unit.imported" not in verbs()


def test_import_page_keep_valid(_post_import, client, pemda, admin):
    UnitFactory(pemda=pemda, name="Dinas Lama")
    client.force_login(admin)

    response = _post_import(client, pemda, csv_file(BAD_UNITS), keep_valid="on")

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 baris diimpor." in page
    assert "7 baris dilewati." in page
    assert Unit.objects.filter(pemda=pemda).count() == 3
    assert verbs().count("unit.imported") == 1


def test_import_page_all_good(_post_import, client, pemda, admin):
    client.force_login(admin)
    upload = xlsx_file([["nama_unit", "jenis"], ["Dinas Sosial", "dinas"], ["BPBD", "badan"]])

    response = _post_import(client, pemda, upload)

    assert response.status_code == 200
    assert "2 baris diimpor." in response.content.decode()
    assert sorted(Unit.objects.filter(pemda=pemda).values_list("name", flat=True)) == [
        "BPBD",
        "Dinas Sosial",
    ]


def test_import_page_services(_post_import, client, pemda, admin, dinkes):
    client.force_login(admin)
    upload = csv_file("nama_unit;nama_layanan;daring\nDinas Kesehatan;Imunisasi;ya\n")

    response = _post_import(client, pemda, upload, kind="layanan")

    assert response.status_code == 200
    assert "1 baris diimpor." in response.content.decode()
    assert dinkes.services.get().is_online is True


def test_import_page_shows_a_file_error(_post_import, client, pemda, admin):
    client.force_login(admin)

    response = _post_import(client, pemda, SimpleUploadedFile("logo.csv", PNG))

    assert response.status_code == 200
    assert "Jenis berkas tidak didukung: unggah XLSX atau CSV." in response.content.decode()
    assert not Unit.objects.exists()
    assert verbs() == []


def test_import_page_without_a_file(client, pemda, admin):
    client.force_login(admin)

    # What a browser sends when no file was chosen: the hidden field only.
    url = reverse("organisations:import", args=[pemda.pk, "unit"])
    response = client.post(url, {"pemda": pemda.pk})

    assert response.status_code == 200
    assert 'id="id_file-err"' in response.content.decode()
    assert not Unit.objects.exists()


def test_import_page_of_an_unknown_kind_is_refused(_post_import, client, pemda, admin):
    client.force_login(admin)
    response = _post_import(client, pemda, csv_file("nama_unit,jenis\nDinas,dinas\n"), "pegawai")
    assert response.status_code == 403
    assert not Unit.objects.exists()


@pytest.mark.parametrize("kind", ["unit", "layanan"])
def test_unit_operator_cannot_import(_post_import, client, pemda, dinkes, kind):
    operator = member(Role.UNIT_OPERATOR, unit=dinkes)
    client.force_login(operator)
    upload = (
        csv_file("nama_unit,jenis\nDinas Baru,dinas\n")
        if kind == "unit"
        else csv_file("nama_unit,nama_layanan\nDinas Kesehatan,Imunisasi\n")
    )

    response = _post_import(client, pemda, upload, kind=kind)

    assert response.status_code in (403, 404)
    assert list(Unit.objects.filter(pemda=pemda)) == [dinkes]
    assert not Service.objects.exists()
    assert verbs() == []


def test_admin_of_another_pemda_cannot_import(_post_import, client, pemda):
    client.force_login(member(Role.PEMDA_ADMIN, pemda=PemdaFactory()))

    response = _post_import(client, pemda, csv_file("nama_unit,jenis\nDinas Baru,dinas\n"))

    assert response.status_code == 404
    assert not Unit.objects.exists()


# --- in the background (issue 11 item 9) -------------------------------------------------------


def test_an_xlsx_over_the_row_cap_is_refused_and_nothing_is_queued(
    _post_import, client, pemda, admin, settings
):
    settings.IMPORT_MAX_ROWS = 2
    client.force_login(admin)
    rows = [["nama_unit", "jenis"], ["Dinas A", "dinas"], ["Dinas B", "dinas"], ["BPBD", "badan"]]

    response = _post_import(client, pemda, xlsx_file(rows))

    assert response.status_code == 200
    assert "Berkas berisi lebih dari 2 baris data." in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not Unit.objects.filter(pemda=pemda).exists()


def test_the_row_cap_holds_for_an_import_done_at_once_too(pemda, admin, settings):
    settings.IMPORT_MAX_ROWS = 1
    with pytest.raises(TabularFileError, match="lebih dari 1 baris"):
        units_import(
            pemda=pemda, upload=csv_file("nama_unit,jenis\nA,dinas\nB,dinas\n"), actor=admin
        )
    assert not Unit.objects.filter(pemda=pemda).exists()


def test_units_in_batches_of_one_find_a_parent_written_by_an_earlier_batch(
    _post_import, client, pemda, admin, settings
):
    settings.IMPORT_BATCH_ROWS = 1
    client.force_login(admin)
    body = (
        "nama_unit,jenis,unit_induk\n"
        "Dinas Kesehatan,dinas,\n"
        "UPT Puskesmas Waru,puskesmas,dinas kesehatan\n"
    )

    page = _post_import(client, pemda, csv_file(body)).content.decode()

    assert "2 baris diimpor." in page
    assert Unit.objects.get(name="UPT Puskesmas Waru").parent.name == "Dinas Kesehatan"
    job = ImportJob.objects.get()
    assert (job.status, job.written, job.total_rows, job.upload_name) == ("done", 2, 2, "")
    assert verbs().count("unit.imported") == 1 and "import.requested" in verbs()
