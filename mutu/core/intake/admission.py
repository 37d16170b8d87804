"""How much a public intake takes from one address (issue 11, items 6 and 7).

Counted is what is accepted, per address and per target (the link, the form, the desk a
submission goes to): a valid submission counts towards the address's soft limit (past it, it
is stored flagged "rate") and towards a hard limit per (target, address) (past it, 429). Junk
— unknown tokens, malformed or invalid requests — counts in a bucket of its own, which refuses
only more junk: one user behind a carrier's NAT sending 300 bad requests does not turn away
every other citizen on that address.

A valid proof-of-work lowers suspicion without erasing it: its work must match the address's
recent volume (pow.factor_for), and past `proof_ceiling` times the soft limit a submission is
flagged even with a proof.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from mutu.core import ratelimit
from mutu.core.intake import pow


@dataclass(frozen=True)
class Admission:
    admitted: bool  # within the hard limit of its target and address
    volume: int  # submissions accepted from the address in this window, this one included
    soft_limit: int
    proof_ceiling: int

    def over_rate_limit(self, proof: pow.Proof) -> bool:
        """Whether to store the submission flagged "rate"."""
        if self.volume <= self.soft_limit:
            return False
        if self.volume > self.soft_limit * self.proof_ceiling:
            return True
        before = self.volume - 1  # the volume before this submission asked this much work
        return not proof.is_worth(pow.factor_for(before, self.soft_limit))


@dataclass(frozen=True)
class IntakeLimits:
    """The limits of one public intake, named by their keys in settings.RATELIMITS: `accepted`
    (soft limit of valid submissions per address) and `junk` (refused requests per address)."""

    accepted: str
    junk: str
    hard_factor: int = 10  # refused past ten times the soft limit per (target, address)
    proof_ceiling: int = 2  # past twice the soft limit a proof no longer lifts the "rate" flag

    @property
    def soft_limit(self) -> int:
        return int(settings.RATELIMITS[self.accepted][0])

    @property
    def window(self) -> int:
        return int(settings.RATELIMITS[self.accepted][1])

    @property
    def junk_window(self) -> int:
        return int(settings.RATELIMITS[self.junk][1])

    def recent_volume(self, ip: str) -> int:
        """Submissions accepted from the address in the current window."""
        return ratelimit.current(self.accepted, ip, self.window)

    def challenge(self, ip: str) -> str:
        """A proof-of-work challenge as hard as the address's recent volume asks."""
        return pow.new_challenge(pow.factor_for(self.recent_volume(ip), self.soft_limit))

    def admit(self, target: object, ip: str) -> Admission:
        """Count one valid submission to a target (e.g. a link's id) from an address."""
        volume = ratelimit.count(self.accepted, ip, self.window)
        per_target = ratelimit.count(f"{self.accepted}-target", f"{target}:{ip}", self.window)
        return Admission(
            admitted=per_target <= self.soft_limit * self.hard_factor,
            volume=volume,
            soft_limit=self.soft_limit,
            proof_ceiling=self.proof_ceiling,
        )

    def count_junk(self, ip: str) -> bool:
        """Count one refused request (unknown target, malformed, invalid); False past the junk
        limit. Never counted against valid submissions from the same address."""
        limit, window = settings.RATELIMITS[self.junk]
        return ratelimit.hit(self.junk, ip, limit, window)


def over_limit_at(bucket: str, key: str, moment: datetime) -> bool:
    """Count one submission in the window of `moment` (when it was made: a queue sent after an
    outage is not a burst) and whether that window is past settings.RATELIMITS[bucket]."""
    limit, window = settings.RATELIMITS[bucket]
    return ratelimit.count(bucket, key, window, at=moment.timestamp()) > int(limit)
