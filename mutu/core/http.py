from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutu.core.models import User


class AuthedHttpRequest(HttpRequest):
    """The request type of a view behind @login_required: `user` is a real User."""

    user: User


def save_through_service(form: Any, call: Any) -> Any:
    """Run a service; turn its ValidationError into errors on the form (never a 500).

    Errors keyed by a name the form does not have (a model field, an unsur code) go to the
    top of the form, so every message reaches the user.
    """
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


def run_with_message(request: HttpRequest, call: Any, success: str = "") -> Any:
    """Run a service for a POST-only action: say `success` when it worked, its own message
    when it refused (ValidationError), and return its result (None when refused)."""
    try:
        result = call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    if success:
        messages.success(request, success)
    return result


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    then: Callable[[Any], HttpResponse],
    title: str,
    template: str = "core/form.html",
    **context: Any,
) -> HttpResponse:
    """The page of one form that a service saves: on a valid POST, `save(cleaned_data)` runs
    (its ValidationError becomes form errors), the user reads `success` and goes where
    `then(result)` sends them; otherwise the form is shown (again, with its errors)."""
    if request.method == "POST" and form.is_valid():
        result = save_through_service(form, lambda: save(form.cleaned_data))
        if result:
            messages.success(request, success(result) if callable(success) else success)
            return then(result)
    return render(request, template, {"form": form, "title": title, **context})
