"""The SKM section of a unit's page: where the unit's survey pages are (its open period, else its
latest one), registered with mutu.organisations.unit_page."""

from typing import Any

from mutu.core.access import can
from mutu.core.dashboard import Card
from mutu.organisations.models import Unit
from mutu.surveys.actions import SurveyAction
from mutu.surveys.selectors import current_member


def skm_panel(user: Any, unit: Unit) -> list[Card]:
    context = {
        "skm_member": current_member(user, unit.pk),
        "can_enter_paper": can(user, SurveyAction.ENTER_PAPER, unit),
    }
    return [Card("surveys/unit_panel.html", context, order=10)]
