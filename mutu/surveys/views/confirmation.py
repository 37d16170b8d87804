"""The page that asks before a change that is hard to undo; its POST repeats the first with
`confirm=yes`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def confirmed(request: HttpRequest) -> bool:
    """Whether the POST comes from a confirmation page (not from the first button)."""
    return request.POST.get("confirm") == "yes"


def confirmation_page(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    button: str,
    cancel_url: str,
    hidden: dict[str, str] | None = None,
) -> HttpResponse:
    """A page that states what an action will do and repeats the POST with `confirm=yes`.
    Plain HTML, so that it works without JavaScript."""
    return render(
        request,
        "surveys/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "button": button,
            "cancel_url": cancel_url,
            "hidden": hidden or {},
        },
    )
