"""Proof-of-work for public forms: ALTCHA PoW v2, self-hosted, no third-party service.

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
from dataclasses import dataclass
from datetime import timedelta

import altcha
from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac

ALGORITHM = "PBKDF2/SHA-256"
# PBKDF2 iterations per counter tried. The server derives one key per challenge it issues
# (about 0.5 ms), so this also prices every page view; the browser's WebCrypto does it natively.
COST = 1_000
# The counter to find is drawn from (MAX_COUNTER // 2, MAX_COUNTER]: a floor on the work a bot
# must do, a ceiling on what a slow phone must do (about two seconds on a cheap Android).
MAX_COUNTER = 1_000
# Past the address's soft limit the work doubles (issue 11, factor_for): ×2, then ×4 after
# another third of the limit. Four times is about a second on a PC and 4–8 s on a cheap phone,
# started at the first touch of a form that takes half a minute to fill: a citizen hardly
# notices, a bot sending 45 submissions pays 2–4 times as much for each one past the limit.
MAX_FACTOR = 4
# Long enough to read and fill a long public form in one sitting.
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


# The salt of the derived key. It names the module where the proof-of-work began; changing it
# would turn every challenge issued in the last LIFETIME into an INVALID proof.
KEY_SALT = "mutu.surveys.pow"


def hmac_key() -> str:
    """ALTCHA_HMAC_KEY if set, else a key derived from SECRET_KEY (never the key itself)."""
    configured = getattr(settings, "ALTCHA_HMAC_KEY", "")
    return configured or salted_hmac(KEY_SALT, "altcha", algorithm="sha256").hexdigest()


def factor_for(volume: int, soft_limit: int) -> int:
    """How many times the base work a proof costs for an address that has had `volume`
    submissions accepted in the current rate window: 1 below the soft limit, then 2, then 4."""
    if volume < soft_limit:
        return 1
    step = max(1, soft_limit // 3)
    return int(min(MAX_FACTOR, 2 ** (1 + (volume - soft_limit) // step)))


def new_challenge(factor: int = 1) -> str:
    """A signed challenge as base64 JSON: safe in an HTML attribute without escaping. It costs
    `factor` times the base work (factor_for)."""
    ceiling = MAX_COUNTER * factor
    floor = ceiling // 2
    challenge = altcha.create_challenge(
        ALGORITHM,
        COST,
        counter=floor + 1 + secrets.randbelow(ceiling - floor),
        expires_at=int(time.time() + LIFETIME.total_seconds()),
        hmac_secret=hmac_key(),
    )
    text = json.dumps(challenge.to_dict(), separators=(",", ":"))
    return base64.b64encode(text.encode()).decode()


@dataclass(frozen=True)
class Proof:
    verdict: PowVerdict
    counter: int = 0  # the work it took (the counter found), for a verified proof

    def is_worth(self, factor: int) -> bool:
        """Verified, and as hard as a challenge of this factor: a proof fetched where the
        volume is low (another address, or before a burst) does not lift the flag."""
        floor = MAX_COUNTER * factor // 2
        return self.verdict == PowVerdict.OK and self.counter > floor


def judge(payload: str) -> Proof:
    """Judge the form's `altcha` field. A correct proof is accepted once: a second use of the
    same challenge (a copied payload, a bot replaying one solve) is REPLAYED."""
    if not payload.strip():
        return Proof(PowVerdict.MISSING)
    parsed = _parse(payload) if len(payload) <= MAX_PAYLOAD_CHARS else None
    if parsed is None:
        return Proof(PowVerdict.INVALID)
    result = altcha.verify_solution(parsed, hmac_key())
    if result.expired:
        return Proof(PowVerdict.EXPIRED)
    if not result.verified:
        return Proof(PowVerdict.INVALID)
    if not _first_use(parsed.challenge.parameters):
        return Proof(PowVerdict.REPLAYED)
    return Proof(PowVerdict.OK, int(parsed.solution.counter))


def check_solution(payload: str) -> PowVerdict:
    return judge(payload).verdict


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
