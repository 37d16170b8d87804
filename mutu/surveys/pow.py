"""Proof-of-work for the public SKM form: ALTCHA PoW v2, self-hosted, no third-party service.

A challenge is PBKDF2/SHA-256 with a counter the server picks in advance (ALTCHA's
"deterministic mode"): the browser tries counters 0, 1, 2 … until the derived key starts
with the signed prefix, so the work is bounded by MAX_COUNTER and never has an unlucky tail.
static/js/pow.js solves it; the vendored ALTCHA widget v3 would post the same payload.
Without JavaScript there is no proof at all (MISSING): that citizen is never flagged for it.
docs/decisions/0003-altcha.md explains the numbers.
"""

import base64
import enum
import json
import secrets
import time
from datetime import timedelta

import altcha
from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac

ALGORITHM = "PBKDF2/SHA-256"
# PBKDF2 iterations per counter tried. The server derives one key per challenge it issues
# (about 0.5 ms), so this also prices every page view; the browser's WebCrypto does it natively.
COST = 1_000
# The counter to find is drawn from [MAX_COUNTER // 2, MAX_COUNTER]: a floor on the work a bot
# must do, a ceiling on what a slow phone must do (about two seconds on a cheap Android).
MAX_COUNTER = 1_000
# Long enough to read and answer the questionnaire in one sitting.
LIFETIME = timedelta(hours=2)
# The public form page is cached; the view puts a fresh challenge in place of this string.
PLACEHOLDER = "__mutu_pow_challenge__"
FIELD_NAME = "altcha"
# A real payload is about 600 characters; anything much longer is not worth parsing.
MAX_PAYLOAD_CHARS = 2_000


class PowVerdict(enum.StrEnum):
    OK = "ok"
    MISSING = "missing"  # no JavaScript, or submitted before the browser finished
    INVALID = "invalid"
    EXPIRED = "expired"
    REPLAYED = "replayed"

    @property
    def is_suspect(self) -> bool:
        """Worth a review flag. MISSING is not: a basic phone without JavaScript sends none."""
        return self in {PowVerdict.INVALID, PowVerdict.EXPIRED, PowVerdict.REPLAYED}


def hmac_key() -> str:
    """ALTCHA_HMAC_KEY if set, else a key derived from SECRET_KEY (never the key itself)."""
    configured = getattr(settings, "ALTCHA_HMAC_KEY", "")
    return configured or salted_hmac("mutu.surveys.pow", "altcha", algorithm="sha256").hexdigest()


def new_challenge() -> str:
    """A signed challenge as base64 JSON: safe in an HTML attribute without escaping."""
    challenge = altcha.create_challenge(
        ALGORITHM,
        COST,
        counter=MAX_COUNTER // 2 + secrets.randbelow(MAX_COUNTER - MAX_COUNTER // 2 + 1),
        expires_at=int(time.time() + LIFETIME.total_seconds()),
        hmac_secret=hmac_key(),
    )
    text = json.dumps(challenge.to_dict(), separators=(",", ":"))
    return base64.b64encode(text.encode()).decode()


def check_solution(payload: str) -> PowVerdict:
    """Judge the form's `altcha` field. A correct proof is accepted once: a second use of the
    same challenge (a copied payload, a bot replaying one solve) is REPLAYED."""
    if not payload.strip():
        return PowVerdict.MISSING
    parsed = _parse(payload) if len(payload) <= MAX_PAYLOAD_CHARS else None
    if parsed is None:
        return PowVerdict.INVALID
    result = altcha.verify_solution(parsed, hmac_key())
    if result.expired:
        return PowVerdict.EXPIRED
    if not result.verified:
        return PowVerdict.INVALID
    return PowVerdict.OK if _first_use(parsed.challenge.parameters) else PowVerdict.REPLAYED


def _parse(payload: str) -> altcha.Payload | None:
    try:
        return altcha.Payload.from_base64(payload.strip())
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # not base64, not JSON, or JSON of the wrong shape


def _first_use(parameters: altcha.ChallengeParameters) -> bool:
    # The nonce is signed and random per challenge. Remember it until the challenge expires;
    # after that the expiry check refuses it anyway. cache.add is atomic on Redis and LocMem.
    expires_at = parameters.expires_at or time.time() + LIFETIME.total_seconds()
    remaining = max(1, int(expires_at - time.time()) + 1)
    # Kept with the rate counters (CACHES["ratelimit"]), apart from pages anyone can fill.
    return caches["ratelimit"].add(f"pow:used:{parameters.nonce}", True, timeout=remaining)
