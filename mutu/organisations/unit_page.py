"""Sections other apps add to a unit's page (the SKM today; standards, complaints and the other
domains next), so that organisations, below them, never imports them. An app registers a maker
in its AppConfig.ready(); a maker receives the user and the unit and returns the sections that
user may read (mutu.core.dashboard.Card: a template of the app and its context)."""

from collections.abc import Callable, Iterable
from typing import Any

from mutu.core.dashboard import Card
from mutu.organisations.models import Unit

PanelMaker = Callable[[Any, Unit], Iterable[Card]]

_makers: list[PanelMaker] = []


def register(maker: PanelMaker) -> PanelMaker:
    """Add a section maker; registering the same function twice is a no-op."""
    if maker not in _makers:
        _makers.append(maker)
    return maker


def panels_for(user: Any, unit: Unit) -> list[Card]:
    panels = [panel for maker in _makers for panel in maker(user, unit)]
    return sorted(panels, key=lambda panel: panel.order)
