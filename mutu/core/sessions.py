"""Sliding staff sessions (issue 11, item 16): a session ends SESSION_COOKIE_AGE seconds after
the user's last activity, not after sign-in. Writing the session on every request would do
that too, at three queries per signed-in request; this writes it at most once per
SESSION_REFRESH_SECONDS, so the end moves with the activity to within that interval."""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REFRESHED_KEY = "_mutu_refreshed"


@receiver(user_logged_in)
def _mark_sign_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED_KEY] = int(time.time())


class SlidingSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(REFRESHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                # A modified session is saved with a new expiry: now + SESSION_COOKIE_AGE.
                request.session[REFRESHED_KEY] = now
        return self.get_response(request)
