"""SubmissionMeta: where a public submission came from, and the flag it earns by itself."""

import pytest
from django.test import RequestFactory

from mutu.core.intake.meta import USER_AGENT_MAX, ReviewFlag, SubmissionMeta, keyed_digest


def test_from_request_takes_the_client_address_and_a_bounded_browser_string(settings):
    settings.CLIENT_IP_META = "HTTP_X_REAL_IP"
    request = RequestFactory().post(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.2.3.4", HTTP_USER_AGENT="x" * 1000
    )
    meta = SubmissionMeta.from_request(request, client_id="abc", over_rate_limit=True)
    assert meta.ip == "10.2.3.4"  # the address the reverse proxy saw, not its own
    assert meta.user_agent == "x" * USER_AGENT_MAX
    assert (meta.client_id, meta.over_rate_limit, meta.honeypot) == ("abc", True, "")


@pytest.mark.parametrize(
    ("fields", "flag"),
    [
        ({}, ""),
        ({"over_rate_limit": True}, ReviewFlag.RATE),
        ({"pow_suspect": True}, ReviewFlag.POW),
        ({"pow_suspect": True, "over_rate_limit": True}, ReviewFlag.POW),  # the stronger one
    ],
)
def test_the_flag_a_submission_earns_by_itself(fields, flag):
    assert SubmissionMeta(**fields).suspicion() == flag


def test_a_filled_trap_is_a_bot():
    assert SubmissionMeta(honeypot="http://spam").is_bot and not SubmissionMeta().is_bot


def test_the_device_hash_tells_senders_apart_and_reveals_neither(settings):
    phone = SubmissionMeta(ip="10.0.0.1", user_agent="HP A")
    assert phone.device_hash() == SubmissionMeta(ip="10.0.0.1", user_agent="HP A").device_hash()
    assert phone.device_hash() != SubmissionMeta(ip="10.0.0.1", user_agent="HP B").device_hash()
    assert "10.0.0.1" not in phone.device_hash() and len(phone.device_hash()) == 16
    assert SubmissionMeta(user_agent="HP A").device_hash() == ""  # no address: no device
    before = keyed_digest("10.0.0.1", length=12)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert keyed_digest("10.0.0.1", length=12) != before  # keyed: not a plain hash
