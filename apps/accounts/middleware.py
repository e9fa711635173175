from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from apps.accounts.models import supported_language


class UserLanguageMiddleware:
    """Choose the interface language: the signed-in user's preference, else the language
    cookie, else Chinese.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language on purpose:
    the product is Chinese by default and English is one click away.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = supported_language(user.preferred_language)
        else:
            language = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
