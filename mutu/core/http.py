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
    """Run a service; turn its ValidationError into errors on the form (never a 500) and
    return None."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def add_service_errors(form: Any, error: ValidationError) -> None:
    """A service's refusal on the form. Errors keyed by a name the form does not have (a model
    field, an unsur code) go to the top of the form, so every message reaches the user."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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


def form_post(
    request: HttpRequest,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    then: Callable[[Any], HttpResponse],
    again: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """A posted form that a service saves: if the form is valid and the service takes it, the
    user reads `success` and goes where `then(result)` sends them; otherwise `again(form)` shows
    the page with the form's errors (the service's refusal among them)."""
    if form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return then(result)
    return again(form)


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
    """The page of one form (GET shows it, POST saves it through `form_post`)."""

    def page(form: Any) -> HttpResponse:
        return render(request, template, {"form": form, "title": title, **context})

    if request.method != "POST":
        return page(form)
    return form_post(request, form, save=save, success=success, then=then, again=page)
