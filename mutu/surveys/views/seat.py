"""The period and a unit's place in it, as most staff pages of a unit begin."""

from mutu.core.access import can
from mutu.core.http import AuthedHttpRequest
from mutu.core.permissions import deny_unless
from mutu.surveys import selectors
from mutu.surveys.models import PeriodUnit, SurveyPeriod


def unit_seat(
    request: AuthedHttpRequest, pk: int, unit_pk: int, *, needs: str | None = None
) -> tuple[SurveyPeriod, PeriodUnit]:
    """The period and the unit's place in it, if the user may see them (404 otherwise); with
    `needs`, a user without that right on the unit is refused (403)."""
    period = selectors.period_get(request.user, pk)
    member = selectors.member_get(request.user, period, unit_pk)
    if needs is not None:
        deny_unless(can(request.user, needs, member.unit))
    return period, member
