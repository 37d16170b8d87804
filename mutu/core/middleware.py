from collections.abc import Callable

from django.conf import settings
from django.contrib.admin.options import TO_FIELD_VAR
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ExplicitLanguageMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the user chose English with the switch (cookie).

    Many officials' phones and browsers send Accept-Language: en; that must not turn the
    interface English behind their back.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        answered = super().process_response(request, response)
        # The thread serves the next request (or task) next: it must not inherit this choice.
        translation.deactivate()
        return answered


class EmptyAdminToFieldMiddleware:
    """Django's admin takes an empty `?_to_field=` for a field named "" and fails with a 500
    (FieldDoesNotExist) on every change, delete and history page; any other unknown name it
    refuses itself with a 400. An empty one means "no field given", so it is dropped."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get(TO_FIELD_VAR) == "":
            query = request.GET.copy()
            query.pop(TO_FIELD_VAR)
            request.GET = QueryDict(query.urlencode())  # immutable again, like the original
        return self.get_response(request)
