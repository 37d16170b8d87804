"""Proof-of-work of the public form: each verdict from real challenges solved here."""

import base64
import json
import re
from datetime import UTC, datetime, timedelta

import altcha
import pytest
import time_machine
from django.test import override_settings

from mutu.core.intake import pow
from mutu.core.intake.pow import PowVerdict, check_solution, new_challenge


def _decode(text: str) -> dict:
    return json.loads(base64.b64decode(text))


def _encode(data: dict) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


def _solve(challenge_text: str) -> dict:
    """What the browser posts: the challenge as received plus the counter it found."""
    challenge = altcha.Challenge.from_dict(_decode(challenge_text))
    solution = altcha.solve_challenge(challenge, timeout=30)
    assert solution is not None
    return altcha.Payload(challenge, solution).to_dict()


@pytest.fixture
def solved() -> dict:
    return _solve(new_challenge())


def test_a_real_solution_passes_once_then_is_a_replay(solved):
    payload = _encode(solved)
    assert check_solution(payload) == PowVerdict.OK
    assert check_solution(payload) == PowVerdict.REPLAYED


def test_the_counter_lies_in_the_bounded_range(solved):
    # The floor is the least work a bot must do, the ceiling what a slow phone must do.
    assert pow.MAX_COUNTER // 2 <= solved["solution"]["counter"] <= pow.MAX_COUNTER
    assert solved["challenge"]["parameters"]["cost"] == pow.COST


def test_a_wrong_number_is_invalid(solved):
    solved["solution"]["counter"] += 1
    assert check_solution(_encode(solved)) == PowVerdict.INVALID


def test_a_derived_key_not_from_the_counter_is_invalid(solved):
    solved["solution"]["derivedKey"] = solved["challenge"]["parameters"]["keyPrefix"] + "0" * 32
    assert check_solution(_encode(solved)) == PowVerdict.INVALID


def test_a_tampered_signature_is_invalid(solved):
    signature = solved["challenge"]["signature"]
    solved["challenge"]["signature"] = ("0" if signature[0] != "0" else "1") + signature[1:]
    assert check_solution(_encode(solved)) == PowVerdict.INVALID


def test_an_easier_challenge_made_up_by_the_client_is_invalid():
    forged = altcha.create_challenge(
        pow.ALGORITHM, 1, counter=0, expires_at=datetime.now(UTC) + timedelta(hours=1)
    )
    forged.signature = _decode(new_challenge())["signature"]  # a genuine signature, elsewhere
    payload = altcha.Payload(forged, altcha.solve_challenge(forged)).to_base64()
    assert check_solution(payload) == PowVerdict.INVALID


def test_a_solution_signed_with_another_key_is_invalid(solved):
    with override_settings(ALTCHA_HMAC_KEY="another-installation"):
        assert check_solution(_encode(solved)) == PowVerdict.INVALID


def test_the_key_comes_from_the_setting_or_is_derived_from_the_secret_key(settings):
    settings.ALTCHA_HMAC_KEY = ""
    derived = pow.hmac_key()
    assert derived and settings.SECRET_KEY not in derived
    settings.ALTCHA_HMAC_KEY = "configured"
    assert pow.hmac_key() == "configured"


def test_an_expired_challenge_is_expired_even_when_solved():
    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        payload = _encode(_solve(new_challenge()))
    with time_machine.travel(start + pow.LIFETIME + timedelta(seconds=2), tick=False):
        assert check_solution(payload) == PowVerdict.EXPIRED
    with time_machine.travel(start + pow.LIFETIME - timedelta(minutes=1), tick=False):
        assert check_solution(payload) == PowVerdict.OK  # the expiry check is what refused it


@pytest.mark.parametrize("value", ["", "   ", "\n"])
def test_no_payload_is_missing_not_invalid(value):
    assert check_solution(value) == PowVerdict.MISSING


@pytest.mark.parametrize(
    "value",
    [
        "%%% not base64 %%%",
        base64.b64encode(b"\xff\xfe not utf-8").decode(),
        base64.b64encode(b"{not json").decode(),
        base64.b64encode(b"[]").decode(),
        base64.b64encode(b"5").decode(),
        base64.b64encode(b"[" * 1400).decode(),  # deep, unterminated nesting
        _encode({"challenge": "x", "solution": {}}),
        _encode({"challenge": {"parameters": {}}, "solution": {"counter": 1}}),
        _encode({"challenge": {"parameters": []}, "solution": []}),
    ],
)
def test_garbage_is_invalid(value):
    assert check_solution(value) == PowVerdict.INVALID


def test_an_oversized_payload_is_not_even_parsed(solved):
    solved["padding"] = "x" * pow.MAX_PAYLOAD_CHARS  # a correct proof, but a 3 KB body
    assert check_solution(_encode(solved)) == PowVerdict.INVALID


def test_wrong_types_inside_a_well_formed_payload_are_invalid(solved):
    solved["solution"]["counter"] = str(solved["solution"]["counter"])
    assert check_solution(_encode(solved)) == PowVerdict.INVALID
    solved["solution"]["counter"], solved["challenge"]["signature"] = 1, None
    assert check_solution(_encode(solved)) == PowVerdict.INVALID


def test_only_invalid_expired_and_replayed_are_suspect():
    suspect = {verdict for verdict in PowVerdict if verdict.is_suspect}
    assert suspect == {PowVerdict.INVALID, PowVerdict.EXPIRED, PowVerdict.REPLAYED}


def test_the_challenge_fits_an_html_attribute_and_expires_in_two_hours():
    text = new_challenge()
    assert re.fullmatch(r"[A-Za-z0-9+/]+=*", text) and pow.PLACEHOLDER not in text
    parameters = _decode(text)["parameters"]
    remaining = parameters["expiresAt"] - datetime.now(UTC).timestamp()
    assert pow.LIFETIME.total_seconds() - 5 < remaining <= pow.LIFETIME.total_seconds()
    assert _decode(new_challenge())["parameters"]["nonce"] != parameters["nonce"]
