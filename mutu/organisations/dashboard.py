"""The organisations' boxes on the landing page (registered with mutu.core.dashboard): role
invitations waiting for the user first, the counts of what the user oversees last."""

from typing import Any

from mutu.core.dashboard import Card, register
from mutu.organisations.models import Pemda, Service, Unit
from mutu.organisations.selectors import invitations_for


@register
def organisation_cards(user: Any) -> list[Card]:
    cards = []
    invitations = invitations_for(user).count()
    if invitations:
        context = {"invitations": invitations}
        cards.append(Card("organisations/dashboard/invitations.html", context, order=0, wide=True))
    counts = {
        "pemda": Pemda.objects.visible_to(user).count(),
        "units": Unit.objects.visible_to(user).filter(is_active=True).count(),
        "services": Service.objects.visible_to(user).filter(is_active=True).count(),
    }
    cards.append(
        Card("organisations/dashboard/counts.html", {"counts": counts}, order=900, wide=True)
    )
    return cards
