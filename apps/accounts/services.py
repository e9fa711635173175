from typing import Any

from django.db import transaction
from django.db.models import F

from apps.accounts.models import Language, User


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None = None,
    preferred_language: str = Language.ZH_HANS,
    is_staff: bool = False,
    **extra: Any,
) -> User:
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name,
        preferred_language=preferred_language,
        is_staff=is_staff,
        **extra,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def user_set_language(*, user: User, language: str) -> None:
    if language not in Language.values:
        raise ValueError(language)
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def user_end_sessions(*, user: User) -> None:
    """End every session of ``user`` at its next request (see User.get_session_auth_hash).

    Callers audit the reason; this is the mechanism only."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
