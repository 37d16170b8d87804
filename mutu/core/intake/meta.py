"""What a public submission says about where it came from, apart from its content: the
address and browser, the bot trap, the proof-of-work and rate verdicts, the client's own id
for resends and, for a queue (a tablet offline for a while), when it was really made."""

import enum
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from mutu.core.models import User
from mutu.core.ratelimit import client_ip

USER_AGENT_MAX = 300  # enough to tell browsers apart; the rest is noise an attacker controls


class ReviewFlag(enum.StrEnum):
    """Why a stored submission waits for review (a domain's flag field uses these words)."""

    POW = "pow"  # a proof-of-work forged, expired or used before
    RATE = "rate"  # past the soft limit of its address
    DUPLICATE = "duplicate"  # the same content from the same source, shortly before
    HONEYPOT = "honeypot"  # the bot trap was filled: stored quarantined


@dataclass(frozen=True)
class SubmissionMeta:
    ip: str = ""
    user_agent: str = ""
    honeypot: str = ""  # the trap field's value (mutu.core.intake.honeypot)
    over_rate_limit: bool = False
    client_id: Any = None
    entered_by: User | None = None  # staff who typed in a paper form, None for the public
    pow_suspect: bool = False  # a proof-of-work that was forged, expired or used before
    answered_at: datetime | None = None  # when a queue says it was made (None: now)

    @classmethod
    def from_request(cls, request: HttpRequest, **fields: Any) -> "SubmissionMeta":
        """The meta of a public request: its client address and browser, and `fields`."""
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
        return cls(ip=client_ip(request), user_agent=user_agent, **fields)

    @property
    def is_bot(self) -> bool:
        return bool(self.honeypot)

    def suspicion(self) -> str:
        """The review flag this submission earns by itself ("" for none): a bad proof is the
        stronger signal, then the address's rate."""
        if self.pow_suspect:
            return ReviewFlag.POW.value
        return ReviewFlag.RATE.value if self.over_rate_limit else ""

    def device_hash(self) -> str:
        """Who sent it, for the duplicate judgement: a keyed digest of the address and browser
        of the sender's phone; "" when the address is unknown (staff entry, an import)."""
        return keyed_digest(self.ip, self.user_agent, length=16) if self.ip else ""


def keyed_digest(*parts: object, length: int) -> str:
    """A short digest of `parts` keyed with SECRET_KEY: comparable between submissions, never
    reversible to the address or the content it was made of."""
    text = "|".join(str(p) for p in parts)
    return hashlib.sha256(f"{settings.SECRET_KEY}|{text}".encode()).hexdigest()[:length]
