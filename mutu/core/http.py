from django.http import HttpRequest

from mutu.core.models import User


class AuthedHttpRequest(HttpRequest):
    """The request type of a view behind @login_required: `user` is a real User."""

    user: User
