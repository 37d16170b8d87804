"""Display helpers: numbers in the active language's format, rounded half-up."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def angka(value: object, places: int = 0) -> str:
    """82.2222 → '82,22' (id) / '82.22' (en); rounded half-up, never banker's rounding."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)  # text such as "n/a" is shown as it is
    if not number.is_finite():
        return "–"  # NaN or infinity: never a 500, never a guess
    try:
        rounded = number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return "–"  # beyond Decimal's precision
    return number_format(rounded, decimal_pos=int(places), use_l10n=True, force_grouping=True)


@register.filter
def control(field: object) -> str:
    """Render a form field's widget with Bootstrap classes and accessible error wiring."""
    widget_type = getattr(field, "widget_type", "")
    css = {"select": "form-select", "checkbox": "form-check-input"}.get(widget_type, "form-control")
    attrs = {"class": css}
    if getattr(field, "errors", None):
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.id_for_label}-err"  # type: ignore[attr-defined]
    return str(field.as_widget(attrs=attrs))  # type: ignore[attr-defined]


@register.simple_tag(takes_context=True)
def dashboard_card(context: template.Context, card: Any) -> str:
    """Render a mutu.core.dashboard.Card: its app's template with the card's own context on
    top of the page's (request, user, perms...)."""
    with context.push(**card.context):
        rendered: str = context.template.engine.get_template(card.template).render(context)  # type: ignore[union-attr]
    return rendered
