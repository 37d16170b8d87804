"""client_id (issue 11, item 11): strict UUIDs only, unique per link (or kiosk) and not across
the installation, a duplicate never shows a stored id, and the web form carries its own id so
that pressing "Kirim" twice stores the answers once."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.models import Answer, KioskDevice, Response
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory
from tests.surveys.json_intake import DEVICE, json_payload, post_api, post_kiosk

pytestmark = pytest.mark.django_db

NOT_STRICT = [
    0,
    1,
    True,
    False,
    12345678901234567890,
    "0",
    "1",
    "true",
    "00000000-0000-0000-0000-000000000000",
    "3f6f1c1e6d0b4c7e9a522b0f6a0c9d41",  # no dashes
    "{3f6f1c1e-6d0b-4c7e-9a52-2b0f6a0c9d41}",
    "urn:uuid:3f6f1c1e-6d0b-4c7e-9a52-2b0f6a0c9d41",
    " 3f6f1c1e-6d0b-4c7e-9a52-2b0f6a0c9d41",
    "3f6f1c1e-6d0b-4c7e-9a52-2b0f6a0c9d41\n",
    ["3f6f1c1e-6d0b-4c7e-9a52-2b0f6a0c9d41"],
    {"id": "3f6f1c1e-6d0b-4c7e-9a52-2b0f6a0c9d41"},
    None,
]


def _seat_and_link():
    seat = PeriodUnitFactory()
    return seat, SurveyLinkFactory(unit=seat.unit)


@pytest.mark.parametrize("client_id", NOT_STRICT, ids=repr)
def test_api_refuses_anything_but_a_canonical_uuid_and_names_the_field(client, client_id):
    _seat, link = _seat_and_link()
    response = post_api(client, link, json_payload(client_id=client_id))
    assert response.status_code == 400, response.content
    assert "client_id" in response.json()["fields"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("client_id", NOT_STRICT, ids=repr)
def test_kiosk_refuses_anything_but_a_canonical_uuid(client, client_id):
    seat, _link = _seat_and_link()
    kiosk = KioskDevice.objects.create(unit=seat.unit, name="Tablet")
    response = post_kiosk(client, kiosk, json_payload(client_id=client_id))
    assert response.status_code == 400, response.content
    assert not Response.objects.exists()


def test_api_accepts_upper_case_hex_as_the_same_id(client):
    _seat, link = _seat_and_link()
    client_id = str(uuid.uuid4())
    assert post_api(client, link, json_payload(client_id=client_id.upper())).status_code == 201
    assert post_api(client, link, json_payload(client_id=client_id)).status_code == 409
    assert Response.objects.get().client_id == uuid.UUID(client_id)


def test_the_same_id_on_two_pemdas_links_is_two_answers_and_the_409_shows_no_id(client):
    _seat, ours = _seat_and_link()
    _other_seat, theirs = _seat_and_link()
    assert ours.unit.pemda != theirs.unit.pemda
    payload = json_payload()

    assert post_api(client, theirs, payload).status_code == 201
    assert post_api(client, ours, payload).status_code == 201  # not "already received"
    again = post_api(client, ours, payload)

    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    stored_ids = {str(pk) for pk in Response.objects.values_list("pk", flat=True)}
    assert not any(pk in again.content.decode() for pk in stored_ids)
    assert Response.objects.count() == 2 and Answer.objects.count() == 18


def test_the_same_id_on_two_kiosks_is_two_answers_and_the_duplicate_shows_no_id(client):
    seat, _link = _seat_and_link()
    other_seat, _other_link = _seat_and_link()
    ours = KioskDevice.objects.create(unit=seat.unit, name="Tablet kita")
    theirs = KioskDevice.objects.create(unit=other_seat.unit, name="Tablet mereka")
    payload = json_payload()

    assert post_kiosk(client, theirs, payload).status_code == 201
    assert post_kiosk(client, ours, payload).status_code == 201
    again = post_kiosk(client, ours, payload)

    assert again.status_code == 200 and again.json() == {"status": "duplicate"}
    assert Response.objects.count() == 2


def test_the_database_refuses_one_id_twice_on_one_link_but_not_on_two(db):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    seat, link = _seat_and_link()
    other = SurveyLinkFactory(unit=seat.unit)
    client_id = uuid.uuid4()
    common = {"period": seat.period, "unit": seat.unit, "channel": "web", "client_id": client_id}
    Response.objects.create(link=link, submitted_at=timezone.now(), **common)
    Response.objects.create(link=other, submitted_at=timezone.now(), **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(link=link, submitted_at=timezone.now(), **common)


# --- the web form ------------------------------------------------------------------------------


def _form_url(link):
    return reverse("surveys:form", args=[link.token])


def _page_client_id(html):
    return re.search(r'name="client_id" value="([^"]*)"', html).group(1)


def _form_data(client_id, **overrides):
    data = {f"u_{code}": "3" for code in UNSUR_CODES} | {"consent": "on", "client_id": client_id}
    return data | overrides


def test_every_rendering_of_the_cached_form_has_its_own_client_id(client):
    _seat, link = _seat_and_link()
    ids = {_page_client_id(client.get(_form_url(link)).content.decode()) for _ in range(3)}
    assert len(ids) == 3
    assert all(uuid.UUID(value) for value in ids)


def test_pressing_send_twice_stores_the_answers_once(client):
    _seat, link = _seat_and_link()
    client_id = _page_client_id(client.get(_form_url(link)).content.decode())

    first = client.post(_form_url(link), _form_data(client_id), **DEVICE)
    second = client.post(_form_url(link), _form_data(client_id), **DEVICE)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("surveys:thanks", args=[link.token])
    assert Response.objects.count() == 1 and Answer.objects.count() == 9
    assert str(Response.objects.get().client_id) == client_id


def test_a_form_sent_back_with_errors_keeps_its_client_id(client):
    _seat, link = _seat_and_link()
    client_id = str(uuid.uuid4())
    page = client.post(_form_url(link), _form_data(client_id, u_waktu="9"), **DEVICE)
    assert page.status_code == 200
    assert _page_client_id(page.content.decode()) == client_id


def test_a_junk_client_id_from_the_web_form_is_stored_without_one(client):
    _seat, link = _seat_and_link()
    assert client.post(_form_url(link), _form_data("1"), **DEVICE).status_code == 302
    assert client.post(_form_url(link), _form_data("1"), **DEVICE).status_code == 302
    assert list(Response.objects.values_list("client_id", flat=True)) == [None, None]


@pytest.mark.django_db(transaction=True)
def test_a_client_id_costs_no_query_of_its_own(client):
    """Outside a test transaction, as in production: the unique constraint decides, so a post
    with a client id is as many queries as one without, one statement on PostgreSQL (decision
    0004). A resend adds only the lookup of the answer stored before."""
    _seat, link = _seat_and_link()
    client.get(_form_url(link))  # link and period now cached
    client_id = str(uuid.uuid4())
    with CaptureQueriesContext(connection) as without_id:
        assert client.post(_form_url(link), _form_data(""), **DEVICE).status_code == 302
    with CaptureQueriesContext(connection) as with_id:
        assert client.post(_form_url(link), _form_data(client_id), **DEVICE).status_code == 302
    with CaptureQueriesContext(connection) as resend:
        assert client.post(_form_url(link), _form_data(client_id), **DEVICE).status_code == 302

    assert len(with_id) == len(without_id)
    if connection.vendor == "postgresql":
        assert len(with_id) == 1 and with_id[0]["sql"].startswith("WITH")
        assert len(resend) == 2
    assert Response.objects.count() == 2
