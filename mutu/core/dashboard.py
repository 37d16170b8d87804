"""Cards on the landing page after login, contributed by the domain apps.

Core does not know the domains (SKM, reports, ...): an app that has something to show puts a
`dashboard.py` module beside its models and calls `register(make_cards)` at import. Core imports
every installed app's `dashboard` module once (as the admin does with `admin.py`) and renders
the cards in order. A maker receives the user and returns the cards that user may read; it does
its own scoping through the app's selectors, and must run a fixed number of queries whatever
the number of units (the dashboard test counts them).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Card:
    """One box on the dashboard: a template of the owning app and what it needs."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100  # lower comes first
    wide: bool = False  # the whole width on a large screen (a list of every unit)


CardMaker = Callable[[Any], Iterable[Card]]

_makers: list[CardMaker] = []


def register(maker: CardMaker) -> CardMaker:
    """Add a card maker (usable as a decorator). Registering the same function twice is a no-op,
    so a module imported again does not show its cards twice."""
    if maker not in _makers:
        _makers.append(maker)
    return maker


def discover() -> None:
    """Import each installed app's `dashboard` module (CoreConfig.ready calls this)."""
    autodiscover_modules("dashboard")


def cards_for(user: Any) -> list[Card]:
    cards = [card for maker in _makers for card in maker(user)]
    return sorted(cards, key=lambda card: card.order)
