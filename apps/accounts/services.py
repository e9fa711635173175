from typing import Any

from django.db import transaction

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
