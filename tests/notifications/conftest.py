from collections.abc import Callable
from typing import Any

import pytest
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.notifications.models import Notification, Verb
from apps.notifications.services import notify
from tests.conftest import World

# Catalogued phrases, so that the Chinese title really differs from the English one.
TITLE = gettext_lazy("Done: %(action)s.")
PARAMS = {"action": gettext_lazy("Submitted")}
TITLE_ZH = "已完成：已提交。"
TITLE_EN = "Done: Submitted."


def english(user: User) -> User:
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


@pytest.fixture
def make_notifications(world: World) -> Callable[..., list[Notification]]:
    """notify() with sensible defaults; the email tasks run only if the caller executes the
    on-commit callbacks."""

    def make(recipients: list[User], **kw: Any) -> list[Notification]:
        options: dict[str, Any] = {
            "verb": Verb.SUBMITTED,
            "filing": None,
            "title_template": TITLE,
            "params": PARAMS,
            "url": "/accounts/security/",
        }
        options.update(kw)
        return notify(recipients=recipients, **options)

    return make
