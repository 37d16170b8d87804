"""The public JSON API of the questionnaire: the instrument of a link and one submission.

Every refusal is a 4xx with {"error", "code", "fields"} and stores nothing."""

import base64
import json
import uuid

import altcha
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mutu.indices.ikm import UNSUR_CODES
from mutu.surveys.api import API_MAX_BYTES
from mutu.surveys.instrument import STANDARD_QUESTIONS, ExtraQuestion
from mutu.surveys.models import Answer, KioskDevice, Response, SurveyPeriod
from mutu.surveys.services import intake
from tests.factories import ServiceFactory, UserFactory
from tests.surveys.factories import PeriodUnitFactory, SurveyLinkFactory

pytestmark = pytest.mark.django_db

DEVICE = {"REMOTE_ADDR": "10.1.2.3", "HTTP_USER_AGENT": "AplikasiSKM/1.0"}


@pytest.fixture
def seat():
    return PeriodUnitFactory()


@pytest.fixture
def link(seat):
    return SurveyLinkFactory(unit=seat.unit, service=ServiceFactory(unit=seat.unit))


def _payload(**overrides):
    payload = {
        "client_id": str(uuid.uuid4()),
        "answers": dict(zip(UNSUR_CODES, (3, 4, 3, 4, 3, 4, 4, 3, 2), strict=True)),
        "profile": {"gender": "P", "age_band": "30-39", "education": "SMA", "occupation": "Swasta"},
        "trust": 4,
        "suggestion": "Antrean pagi terlalu panjang.",
        "consent": True,
    }
    payload.update(overrides)
    return payload


def _submit(client, token, payload, query="", content_type="application/json", **extra):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    url = reverse("api:survey_submit", args=[token]) + query
    return client.post(url, body, content_type=content_type, **(DEVICE | extra))


def _instrument(client, token, query=""):
    return client.get(reverse("api:survey_instrument", args=[token]) + query)


def _stored():
    return Response.objects.count(), Answer.objects.count()


def _assert_json_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "code", "fields"}
    assert body["code"] == code and body["error"]
    return body


# --- the instrument --------------------------------------------------------------------------


def test_instrument_is_what_the_web_form_asks(client, seat, link):
    seat.skippable = ["biaya"]
    seat.save()

    response = _instrument(client, link.token)

    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    body = response.json()
    assert body["unit"]["name"] == seat.unit.name
    assert body["pemda"]["name"] == seat.unit.pemda.name
    assert body["service"] == {"name": link.service.name}
    assert body["period"]["name"] == seat.period.name
    assert body["period"]["weighting"] == "exact"
    assert [u["code"] for u in body["unsur"]] == list(UNSUR_CODES)
    for unsur, question in zip(body["unsur"], STANDARD_QUESTIONS, strict=True):
        assert unsur["question"] == str(question.question)
        assert [a["label"] for a in unsur["answers"]] == [str(w) for w in question.answers]
        assert [a["value"] for a in unsur["answers"]] == [1, 2, 3, 4]
    assert [u["code"] for u in body["unsur"] if u["skippable"]] == ["biaya"]
    assert body["unsur"][3]["answers"][3]["label"] == "Gratis"
    assert body["not_applicable_label"] == "Tidak berlaku bagi saya"
    assert body["trust"]["question"] == "Saya percaya pada layanan ini."
    profile = {f["name"]: f for f in body["profile"]}
    assert list(profile) == ["gender", "age_band", "education", "occupation"]
    assert {"value": "P", "label": "Perempuan"} in profile["gender"]["choices"]
    assert all(choice["value"] for f in body["profile"] for choice in f["choices"])
    assert body["consent"]["text"].startswith("Saya setuju jawaban ini diolah")
    assert body["suggestion"]["max_length"] == 2000
    assert body["extra"] == []
    assert body["submit_url"] == reverse("api:survey_submit", args=[link.token])


def test_instrument_in_english_with_lang_en_and_back_to_indonesian_after(client, link):
    english = _instrument(client, link.token, "?lang=en")

    assert english["Content-Language"] == "en"
    body = english.json()
    assert body["language"] == "en"
    assert body["unsur"][0]["answers"][0]["label"] == "Not appropriate"
    assert body["unsur"][1]["question"].startswith("What is your understanding")
    assert translation.get_language() == "id"  # ?lang=en does not outlive its request
    assert _instrument(client, link.token).json()["unsur"][0]["answers"][0]["label"] == (
        "Tidak sesuai"
    )


def test_instrument_without_trust_and_with_the_units_own_questions(client, seat, link):
    SurveyPeriod.objects.filter(pk=seat.period_id).update(ask_trust=False)
    seat.extra_questions = [
        ExtraQuestion("q1", "scale", "Ruang tunggu nyaman.", required=True).to_json(),
        ExtraQuestion("q2", "choice", "Dari mana tahu layanan ini?", ("Teman", "Web")).to_json(),
        ExtraQuestion("q3", "text", "Apa yang perlu diubah?").to_json(),
        ExtraQuestion("q4", "text", "Pertanyaan lama", retired=True).to_json(),
    ]
    seat.save()

    body = _instrument(client, link.token).json()

    assert body["trust"] is None
    assert [(q["id"], q["kind"], q["required"]) for q in body["extra"]] == [
        ("q1", "scale", True),
        ("q2", "choice", False),
        ("q3", "text", False),
    ]
    assert [a["label"] for a in body["extra"][1]["answers"]] == ["Teman", "Web"]
    assert body["extra"][2]["answers"] == [] and body["extra"][2]["max_length"] == 1000


def test_a_repeated_instrument_request_is_served_from_the_cache(
    client, link, django_assert_num_queries
):
    _instrument(client, link.token)
    with django_assert_num_queries(0):
        assert _instrument(client, link.token).status_code == 200


def test_instrument_of_an_unknown_or_retired_link_is_404_json(client, link):
    _assert_json_error(_instrument(client, "tidak-ada"), 404, "not_found")
    _assert_json_error(_instrument(client, "x" * 33), 404, "not_found")
    _assert_json_error(_instrument(client, "a%09b"), 404, "not_found")
    link.is_active = False
    link.save()
    body = _assert_json_error(_instrument(client, link.token), 404, "not_found")
    assert body["error"] == "Tautan survei tidak dikenal atau sudah tidak aktif."


def test_instrument_without_an_open_period_is_409_json(client, seat, link):
    SurveyPeriod.objects.update(status=SurveyPeriod.Status.CLOSED)
    body = _assert_json_error(_instrument(client, link.token), 409, "period_closed")
    assert "ditutup" in body["error"]


# --- the submission ------------------------------------------------------------------------


def test_a_submission_stores_exactly_one_web_response_with_its_answers(client, seat, link):
    payload = _payload()

    response = _submit(client, link.token, payload)

    assert response.status_code == 201
    assert response.json() == {
        "status": "stored",
        "message": "Terima kasih! Jawaban Anda sudah kami terima.",
    }
    stored = Response.objects.get()
    assert stored.channel == Response.Channel.WEB
    assert (stored.period, stored.unit, stored.link) == (seat.period, seat.unit, link)
    assert stored.service == link.service
    assert str(stored.client_id) == payload["client_id"]
    assert (stored.gender, stored.age_band, stored.education, stored.occupation) == (
        "P",
        "30-39",
        "SMA",
        "Swasta",
    )
    assert (stored.trust, stored.suggestion) == (4, "Antrean pagi terlalu panjang.")
    assert stored.flag == "" and not stored.quarantined and stored.device_hash
    assert dict(stored.answers.values_list("unsur", "value")) == payload["answers"]


def test_a_resent_client_id_is_409_already_received_and_stores_nothing_new(client, link):
    payload = _payload()
    assert _submit(client, link.token, payload).status_code == 201

    again = _submit(client, link.token, payload | {"answers": dict.fromkeys(UNSUR_CODES, 1)})

    body = _assert_json_error(again, 409, "duplicate")
    assert "sudah diterima" in body["error"]
    assert _stored() == (1, 9)
    assert set(Answer.objects.values_list("value", flat=True)) != {1}


def test_a_resend_after_the_period_closed_still_says_already_received(client, link):
    payload = _payload()
    _submit(client, link.token, payload)
    SurveyPeriod.objects.update(status=SurveyPeriod.Status.CLOSED)

    _assert_json_error(_submit(client, link.token, payload), 409, "duplicate")
    _assert_json_error(_submit(client, link.token, _payload()), 409, "period_closed")
    assert _stored() == (1, 9)


@pytest.mark.django_db(transaction=True)  # the refused INSERT must not poison a test transaction
def test_a_twin_request_storing_the_same_client_id_first_is_answered_409(client, link, monkeypatch):
    """Two copies of one submission at the same moment: both pass the resend check, the
    database's unique client_id refuses the second one's INSERT."""
    payload = _payload()
    judge = intake._judge

    def judge_after_the_twin_landed(*args, **kwargs):
        monkeypatch.setattr(intake, "_judge", judge)
        assert _submit(client, link.token, payload).status_code == 201
        return judge(*args, **kwargs)

    monkeypatch.setattr(intake, "_judge", judge_after_the_twin_landed)

    _assert_json_error(_submit(client, link.token, payload), 409, "duplicate")
    assert _stored() == (1, 9)


ANSWERS = dict.fromkeys(UNSUR_CODES, 3)


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        (_payload(answers=ANSWERS | {"waktu": 5}), "answers.waktu"),
        (_payload(answers=ANSWERS | {"waktu": 0}), "answers.waktu"),
        (_payload(answers=ANSWERS | {"waktu": "3.0"}), "answers.waktu"),
        (_payload(answers=ANSWERS | {"waktu": True}), "answers.waktu"),
        (_payload(answers=ANSWERS | {"biaya": None}), "answers.biaya"),
        (_payload(answers={"persyaratan": 4}), "answers.prosedur"),
        (_payload(answers=ANSWERS | {"rahasia": 4}), "answers.rahasia"),
        (_payload(extra={"q9": 2}), "extra.q9"),
        (_payload(consent=False), "consent"),
        ({k: v for k, v in _payload().items() if k != "consent"}, "consent"),
        (_payload(consent="ya"), "consent"),
        (_payload(profile={"gender": "X"}), "profile.gender"),
        (_payload(profile={"hobi": "catur"}), "profile.hobi"),
        (_payload(profile="P"), "profile"),
        (_payload(trust=7), "trust"),
        (_payload(suggestion="x" * 2001), "suggestion"),
        (_payload(suggestion=["x"]), "suggestion"),
        (_payload(client_id="bukan-uuid"), "client_id"),
        ({k: v for k, v in _payload().items() if k != "client_id"}, "client_id"),
        (_payload(answers=[3, 3, 3]), "answers"),
        ([_payload()], "non_field_errors"),
    ],
)
def test_bad_values_are_400_with_the_field_named_and_store_nothing(client, link, payload, path):
    body = _assert_json_error(_submit(client, link.token, payload), 400, "invalid")

    assert path in body["fields"], body
    assert all(isinstance(m, str) and m for m in body["fields"][path])
    assert _stored() == (0, 0)


def test_messages_are_indonesian_by_default_and_english_with_lang_en(client, link):
    bad = _payload(answers=ANSWERS | {"waktu": 5}, consent=False)

    indonesian = _submit(client, link.token, bad).json()
    english = _submit(client, link.token, bad, "?lang=en").json()

    assert indonesian["error"] == "Jawaban tidak lengkap atau tidak valid."
    assert indonesian["fields"]["consent"] == ["Centang persetujuan untuk mengirim."]
    assert english["error"] != indonesian["error"]
    assert english["fields"]["consent"] != indonesian["fields"]["consent"]
    assert english["code"] == indonesian["code"] == "invalid"


def test_broken_json_is_400_parse_error(client, link):
    body = _assert_json_error(_submit(client, link.token, b'{"answers": '), 400, "parse_error")
    assert body["error"] == "Isi kiriman bukan JSON yang sah."
    assert _stored() == (0, 0)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_is_415(client, link, content_type):
    body = json.dumps(_payload())
    response = _submit(client, link.token, body, content_type=content_type)
    _assert_json_error(response, 415, "unsupported_media_type")
    assert _stored() == (0, 0)


def test_an_oversized_body_is_413(client, link):
    big = _payload(suggestion="x" * API_MAX_BYTES)
    body = _assert_json_error(_submit(client, link.token, big), 413, "payload_too_large")
    assert "terlalu besar" in body["error"]
    assert _stored() == (0, 0)


def test_a_suggestion_of_2000_emoji_fits_the_size_limit(client, link):
    # JSON escapes each emoji to 12 bytes: the limit must leave room for a full suggestion.
    body = json.dumps(_payload(suggestion="😀" * 2000))
    assert len(body) > 24_000
    assert _submit(client, link.token, body).status_code == 201


def test_unknown_or_retired_link_is_404_and_stores_nothing(client, link):
    _assert_json_error(_submit(client, link.token + "x", _payload()), 404, "not_found")
    link.is_active = False
    link.save()
    _assert_json_error(_submit(client, link.token, _payload()), 404, "not_found")
    assert _stored() == (0, 0)


def test_closed_period_is_409_and_stores_nothing(client, link):
    SurveyPeriod.objects.update(status=SurveyPeriod.Status.CLOSED)
    _assert_json_error(_submit(client, link.token, _payload()), 409, "period_closed")
    assert _stored() == (0, 0)


def test_the_rate_limit_flags_past_the_soft_limit_and_refuses_past_the_hard_one(
    client, link, settings
):
    settings.RATELIMITS = {**settings.RATELIMITS, "survey": (2, 600)}
    statuses = [_submit(client, link.token, _payload()).status_code for _ in range(20)]
    assert statuses == [201] * 20  # ten times the limit is still stored (flagged)

    refused = _submit(client, link.token, _payload())

    body = _assert_json_error(refused, 429, "rate_limited")
    assert refused["Retry-After"] == "600"
    assert "Terlalu banyak kiriman" in body["error"]
    assert Response.objects.count() == 20
    assert _submit(client, link.token, _payload(), REMOTE_ADDR="10.9.9.9").status_code == 201


def test_past_the_soft_limit_a_response_is_stored_flagged_rate(client, link, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "survey": (1, 600)}
    first = _payload()
    second = _payload(answers=dict.fromkeys(UNSUR_CODES, 2))  # not a look-alike duplicate

    _submit(client, link.token, first)
    _submit(client, link.token, second)

    assert list(Response.objects.order_by("id").values_list("flag", flat=True)) == ["", "rate"]


def test_the_web_form_and_the_api_share_one_budget_per_address(client, link, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "survey": (1, 600)}
    form = {f"u_{code}": "3" for code in UNSUR_CODES} | {"consent": "on"}
    for _ in range(10):
        client.post(reverse("surveys:form", args=[link.token]), form, **DEVICE)

    _assert_json_error(_submit(client, link.token, _payload()), 429, "rate_limited")


def test_a_skippable_unsur_may_be_null(client, seat, link):
    seat.skippable = ["biaya"]
    seat.save()

    response = _submit(client, link.token, _payload(answers=ANSWERS | {"biaya": None}))

    assert response.status_code == 201
    assert set(Answer.objects.values_list("unsur", flat=True)) == set(UNSUR_CODES) - {"biaya"}


def test_answers_to_the_units_own_questions_are_stored_apart(client, seat, link):
    seat.extra_questions = [
        ExtraQuestion("q1", "scale", "Ruang tunggu nyaman.", required=True).to_json(),
        ExtraQuestion("q2", "text", "Apa yang perlu diubah?").to_json(),
    ]
    seat.save()

    missing = _submit(client, link.token, _payload())
    body = _assert_json_error(missing, 400, "invalid")
    assert "extra.q1" in body["fields"]
    assert _stored() == (0, 0)

    stored = _submit(client, link.token, _payload(extra={"q1": 4, "q2": "Kursi lebih banyak"}))

    assert stored.status_code == 201
    assert Response.objects.get().extra == {"q1": 4, "q2": "Kursi lebih banyak"}
    assert Answer.objects.count() == 9  # never part of the IKM


def test_no_csrf_token_and_no_session_are_needed(link):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())  # a session cookie changes nothing: it is not read

    assert _submit(browser, link.token, _payload()).status_code == 201
    assert Response.objects.get().entered_by is None


def test_get_on_the_submission_address_is_405_json(client, link):
    response = client.get(reverse("api:survey_submit", args=[link.token]))
    _assert_json_error(response, 405, "method_not_allowed")


def test_a_submission_runs_at_most_six_queries(client, link, django_assert_max_num_queries):
    _instrument(client, link.token)  # warm up whatever Django caches per process
    with django_assert_max_num_queries(6):
        assert _submit(client, link.token, _payload()).status_code == 201


# --- one set of rules with the kiosk -------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        _payload(),
        _payload(answers=ANSWERS | {"waktu": 5}),
        _payload(answers=ANSWERS | {"rahasia": 4}),
        _payload(consent=False),
        _payload(profile={"gender": "X"}),
        _payload(trust=9),
        _payload(extra={"q1": 3}),
    ],
)
def test_the_kiosk_and_the_api_judge_a_payload_alike(client, seat, link, payload):
    kiosk = KioskDevice.objects.create(unit=seat.unit, name="Tablet")
    via_kiosk = client.post(
        reverse("surveys:kiosk_submit", args=[kiosk.token]),
        json.dumps(payload),
        content_type="application/json",
    )
    via_api = _submit(client, link.token, payload | {"client_id": str(uuid.uuid4())})

    assert (via_kiosk.status_code == 201) == (via_api.status_code == 201)
    assert via_kiosk.status_code in (201, 400)


def test_an_unknown_language_is_400_not_silently_indonesian(client, link):
    body = _assert_json_error(_instrument(client, link.token, "?lang=fr"), 400, "invalid")
    assert "lang" in body["fields"]
    _assert_json_error(_submit(client, link.token, _payload(), "?lang=fr"), 400, "invalid")
    assert _stored() == (0, 0)


def test_a_rule_only_the_service_knows_is_reported_on_its_field(client, link, monkeypatch):
    """The service checks again after the form; should it refuse, the API names the field."""

    def refuse_waktu(answers, skippable=frozenset()):
        raise ValidationError({"waktu": "Aturan baru layanan."})

    monkeypatch.setattr(intake, "validate_answers", refuse_waktu)

    body = _assert_json_error(_submit(client, link.token, _payload()), 400, "invalid")

    assert body["fields"] == {"answers.waktu": ["Aturan baru layanan."]}
    assert _stored() == (0, 0)


def _solve(challenge: str) -> str:
    parsed = altcha.Challenge.from_dict(json.loads(base64.b64decode(challenge)))
    return altcha.Payload(parsed, altcha.solve_challenge(parsed)).to_base64()


def test_an_app_may_send_a_proof_of_work_and_a_replay_is_flagged(client, link):
    challenge = _instrument(client, link.token).json()["pow_challenge"]
    proof = _solve(challenge)
    assert _submit(client, link.token, _payload(altcha=proof)).status_code == 201
    replay = _payload(altcha=proof, answers=dict.fromkeys(UNSUR_CODES, 2))
    assert _submit(client, link.token, replay).status_code == 201
    garbage = _payload(altcha="bm90IGEgcHJvb2Y=", answers=dict.fromkeys(UNSUR_CODES, 1))
    assert _submit(client, link.token, garbage).status_code == 201
    none = _payload(answers=dict.fromkeys(UNSUR_CODES, 3))
    assert _submit(client, link.token, none).status_code == 201
    flags = list(Response.objects.order_by("pk").values_list("flag", flat=True))
    assert flags == ["", "pow", "pow", ""]
