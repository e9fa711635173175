import time
from collections.abc import Callable
from typing import Any

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


class SessionIdleMiddleware:
    """Keep a signed-in session alive while it is used, at most one write a minute.

    The idle timeout works by pushing the session's expiry forward whenever it is saved.
    Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every request; marking
    it modified only once SESSION_TOUCH_SECONDS have passed since the last write costs the
    timeout at most that much precision and saves a database write on nearly every page.
    Must come after SessionMiddleware, so that its response is seen before the session is
    saved.
    """

    KEY = "_touched"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or session.modified:
            if session is not None and session.modified and not session.is_empty():
                session[self.KEY] = int(time.time())
            return response
        last = session.get(self.KEY, 0)
        if time.time() - last >= settings.SESSION_TOUCH_SECONDS:
            session[self.KEY] = int(time.time())
        return response


def touch_session_at_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """user_logged_in receiver: a new session is written at login anyway; note it, so the
    first pages after login write nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionIdleMiddleware.KEY] = int(time.time())
