"""Junk input is a 4xx with a message and changes nothing, never a 500 (issue 11, item 10):
ids that are not numbers in POSTs, NUL bytes in text, JSON nested 20,000 deep, XLSX files with
XML entities, and the API's JSON error while the database cannot be reached."""

import io
import json
import uuid
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from openpyxl import Workbook

from mutu.core.roles import Role
from mutu.core.tabular import TabularFileError, read_rows
from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.models import KioskDevice, Response
from tests.factories import member
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory, add_responses

pytestmark = pytest.mark.django_db

JUNK_IDS = ["abc", "-5", "0", "99999999999999999999999", "1.5", "\x00", ""]


@pytest.fixture
def seat():
    return PeriodUnitFactory()


@pytest.fixture
def admin(seat):
    return member(Role.PEMDA_ADMIN, pemda=seat.unit.pemda)


# --- ids and text in staff POSTs ----------------------------------------------------------------


@pytest.mark.parametrize("junk", JUNK_IDS, ids=repr)
def test_moderating_a_response_that_is_no_id_is_not_found(client, seat, admin, junk):
    (stored,) = add_responses(seat.period, seat.unit, [dict.fromkeys(UNSUR_CODES, 3)])
    client.force_login(admin)
    url = reverse("surveys:response_quarantine", args=[seat.period.pk, seat.unit.pk])
    response = client.post(url, {"response": junk, "reason": "uji"})
    assert response.status_code == 404
    assert not Response.objects.get(pk=stored.pk).quarantined


@pytest.mark.parametrize("junk", [j for j in JUNK_IDS if j], ids=repr)
def test_revoking_a_kiosk_that_is_no_id_is_not_found(client, seat, admin, junk):
    kiosk = KioskDevice.objects.create(unit=seat.unit, name="Tablet")
    client.force_login(admin)
    url = reverse("surveys:kiosk_revoke", args=[kiosk.pk]).replace(
        f"/{kiosk.pk}/", f"/{quote(junk, safe='')}/"
    )
    response = client.post(url)
    assert response.status_code == 404
    assert KioskDevice.objects.get(pk=kiosk.pk).is_active


def test_a_nul_byte_in_a_quarantine_reason_is_refused_with_a_message(client, seat, admin):
    (stored,) = add_responses(seat.period, seat.unit, [dict.fromkeys(UNSUR_CODES, 3)])
    client.force_login(admin)
    url = reverse("surveys:response_quarantine", args=[seat.period.pk, seat.unit.pk])
    response = client.post(url, {"response": stored.pk, "reason": "bot\x00"}, follow=True)
    assert response.status_code == 200
    assert "tidak diizinkan (NUL)" in response.content.decode()
    assert not Response.objects.get(pk=stored.pk).quarantined


def test_a_nul_byte_in_a_kiosk_name_is_refused_with_a_message(client, seat, admin):
    client.force_login(admin)
    url = reverse("surveys:kiosk_register", args=[seat.unit.pk])
    response = client.post(url, {"name": "Tablet\x00 1"}, follow=True)
    assert "tidak diizinkan (NUL)" in response.content.decode()
    assert not KioskDevice.objects.exists()


def test_a_nul_byte_in_a_form_field_is_refused_with_a_message(client, seat, admin):
    """Django's CharField refuses NUL itself: every ModelForm and Form of mutu has it."""
    client.force_login(admin)
    url = reverse("surveys:link_list", args=[seat.unit.pk])
    response = client.post(url, {"label": "Loket\x00 2"})
    assert response.status_code == 200
    assert "Karakter null tidak diizinkan." in response.content.decode()
    assert not seat.unit.survey_links.exists()


# --- the public API and the kiosk ----------------------------------------------------------------


def _assert_json_error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "code", "fields"} and body["error"]
    return body


def _api(client, link, body):
    url = reverse("api:survey_submit", args=[link.token])
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", REMOTE_ADDR="10.9.8.7")


def _payload(**overrides):
    payload = {"client_id": str(uuid.uuid4()), "answers": dict.fromkeys(UNSUR_CODES, 3)}
    return payload | {"consent": True} | overrides


@pytest.mark.parametrize(
    "body",
    [
        "[" * 20_000,
        "[" * 16_000 + "]" * 16_000,
        '{"answers": ' + "[" * 10_000 + "]" * 10_000 + "}",
        '{"extra": {"q1": ' + "[" * 20 + "]" * 20 + "}}",
    ],
    ids=["20000-deep", "16000-deep-closed", "deep-inside-answers", "20-deep-extra"],
)
def test_api_refuses_json_nested_too_deep_with_its_json_error(client, seat, body):
    link = SurveyLinkFactory(unit=seat.unit)
    body = _assert_json_error(_api(client, link, body), 400)
    assert body["code"] == "parse_error"
    assert not Response.objects.exists()


def test_a_20000_deep_body_that_is_closed_too_is_refused_for_its_size_first(client, seat):
    link = SurveyLinkFactory(unit=seat.unit)
    body = "[" * 20_000 + "]" * 20_000  # 40 kB, over the API's 32 KiB
    assert _assert_json_error(_api(client, link, body), 413)["code"] == "payload_too_large"


def test_kiosk_refuses_json_nested_too_deep(client, seat):
    kiosk = KioskDevice.objects.create(unit=seat.unit, name="Tablet")
    url = reverse("surveys:kiosk_submit", args=[kiosk.token])
    response = client.post(url, "[" * 4000 + "]" * 4000, content_type="application/json")
    assert response.status_code == 400
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"suggestion": "saran\x00"}, "suggestion"),
        ({"altcha": "\x00"}, "altcha"),
        ({"profile": {"gender": "P\x00"}}, "profile.gender"),
    ],
)
def test_api_refuses_nul_bytes_naming_the_field(client, seat, overrides, field):
    link = SurveyLinkFactory(unit=seat.unit)
    body = _assert_json_error(_api(client, link, _payload(**overrides)), 400)
    assert field in body["fields"]
    assert not Response.objects.exists()


@pytest.fixture
def database_down():
    """The default connection pointed at a database nobody answers on: a closed port for
    PostgreSQL, a file in a directory that does not exist for SQLite. A real connection
    attempt that fails, not a mock of the ORM; the test's own connection is put back after."""
    real = connections["default"]
    settings_dict = {**real.settings_dict}
    if real.vendor == "postgresql":
        settings_dict |= {"HOST": "127.0.0.1", "PORT": "9", "OPTIONS": {"connect_timeout": 2}}
    else:
        settings_dict["NAME"] = "/nonexistent-directory/mutu.sqlite3"
    dead = type(real)(settings_dict, alias="default")
    connections["default"] = dead
    yield
    dead.close()
    connections["default"] = real


def test_api_answers_its_json_error_when_the_database_is_down(client, seat, database_down):
    link_token = "tokenyangtidakada"
    instrument = client.get(reverse("api:survey_instrument", args=[link_token]))
    body = _assert_json_error(instrument, 503)
    assert body["code"] == "unavailable" and instrument["Retry-After"]

    url = reverse("api:survey_submit", args=[link_token])
    submit = client.post(url, json.dumps(_payload()), content_type="application/json")
    assert _assert_json_error(submit, 503)["code"] == "unavailable"


# --- spreadsheets with XML entities ------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def _xlsx_with(doctype, part, entity):
    """A real workbook whose `part` gets a DOCTYPE and uses `entity` in its first text."""
    book = Workbook()
    book.active.append(["name", "kind"])
    book.active.append(["Dinas A", "dinas"])
    raw = io.BytesIO()
    book.save(raw)
    source, out = zipfile.ZipFile(io.BytesIO(raw.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                xml = data.decode()
                xml = doctype + (xml[xml.index("?>") + 2 :] if xml.startswith("<?xml") else xml)
                xml = xml.replace("Dinas A", entity, 1).replace(">name<", f">{entity}<", 1)
                data = xml.encode()
            target.writestr(item, data)
    return out.getvalue()


ATTACKS = [
    (BILLION_LAUGHS, "xl/worksheets/sheet1.xml", "&lol9;"),
    (BILLION_LAUGHS, "xl/workbook.xml", ""),
    (XXE, "xl/worksheets/sheet1.xml", "&xxe;"),
    (XXE, "xl/workbook.xml", ""),
]


@pytest.mark.parametrize(("doctype", "part", "entity"), ATTACKS)
def test_xlsx_with_xml_entities_is_refused_with_a_message(doctype, part, entity):
    upload = SimpleUploadedFile("unit.xlsx", _xlsx_with(doctype, part, entity))
    with pytest.raises(TabularFileError, match="entitas atau rujukan XML"):
        read_rows(upload, expected=["name", "kind"], required=["name"])


def test_an_import_page_shows_the_message_for_a_billion_laughs_workbook(client, seat, admin):
    client.force_login(admin)
    content = _xlsx_with(BILLION_LAUGHS, "xl/worksheets/sheet1.xml", "&lol9;")
    url = reverse("organisations:import", args=[seat.unit.pemda.pk, "unit"])
    response = client.post(url, {"file": SimpleUploadedFile("unit.xlsx", content)})
    assert response.status_code == 200
    assert "entitas atau rujukan XML" in response.content.decode()


def test_a_nul_byte_deep_in_an_imported_csv_is_a_row_error_not_a_500(
    client, seat, admin, post_import
):
    """The file check looks for NUL in the first 4 KiB only; one further down reaches the row
    forms, whose CharFields refuse it with a message (PostgreSQL could not store it). A guard:
    this held before issue 11 already."""
    filler = "".join(f"Kantor Impor {i},dinas\n" for i in range(300))
    content = f"nama_unit,jenis\n{filler}Dinas\x00Rahasia,dinas\n".encode()
    assert content.index(b"\x00") > 4096
    client.force_login(admin)
    url = reverse("organisations:import", args=[seat.unit.pemda.pk, "unit"])
    # The import runs as a job (issue 11 item 9): its page shows the row's error.
    response = post_import(url, {"file": SimpleUploadedFile("unit.csv", content)})
    assert response.status_code == 200
    assert "Karakter null tidak diizinkan." in response.content.decode()
    assert not seat.unit.pemda.units.filter(name__startswith="Kantor Impor").exists()
