"""How much the public form and API take from one address (issue 11, items 6 and 7).

Counted is what is accepted, per link and per address: a valid submission counts towards the
address's soft limit (past it, answers are stored flagged "rate") and towards a hard limit per
(link, address) (past it, 429). Junk — unknown tokens, malformed or invalid requests — counts
in a bucket of its own, which refuses only more junk: one user behind a carrier's NAT sending
300 bad requests no longer turns away every other citizen on that address.

A valid proof-of-work lowers suspicion without erasing it: its work must match the address's
recent volume (pow.factor_for), and past PROOF_CEILING times the soft limit an answer is
flagged even with a proof.
"""

from dataclasses import dataclass

from django.conf import settings

from mutu.core import ratelimit
from mutu.surveys import pow

HARD_FACTOR = 10  # stored answers per (link, address) refused past ten times the soft limit
PROOF_CEILING = 2  # past twice the soft limit a proof no longer lifts the "rate" flag


@dataclass(frozen=True)
class Admission:
    admitted: bool  # within the hard limit of its link and address
    volume: int  # answers accepted from the address in this window, this one included

    def over_rate_limit(self, proof: pow.Proof) -> bool:
        """Whether to store the answer flagged "rate"."""
        limit = settings.RATELIMITS["survey"][0]
        if self.volume <= limit:
            return False
        if self.volume > limit * PROOF_CEILING:
            return True
        return not proof.is_worth(self.volume - 1)  # the volume before this answer


def recent_volume(ip: str) -> int:
    """Answers accepted from the address in the current window: sets the challenge's work."""
    return ratelimit.current("survey", ip, settings.RATELIMITS["survey"][1])


def admit(link_id: int, ip: str) -> Admission:
    """Count one valid submission through a link from an address."""
    limit, window = settings.RATELIMITS["survey"]
    volume = ratelimit.count("survey", ip, window)
    per_link = ratelimit.count("survey-link", f"{link_id}:{ip}", window)
    return Admission(admitted=per_link <= limit * HARD_FACTOR, volume=volume)


def count_junk(ip: str) -> bool:
    """Count one refused request (unknown link, malformed, invalid); False past the junk
    limit. Never counted against valid submissions from the same address."""
    limit, window = settings.RATELIMITS["survey_junk"]
    return ratelimit.hit("survey-junk", ip, limit, window)
