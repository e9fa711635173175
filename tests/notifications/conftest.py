from collections.abc import Callable
from typing import Any

import pytest

from apps.accounts.models import User
from apps.notifications.models import Notification, Verb
from apps.notifications.services import notify
from tests.conftest import World

# A submission, stored as its verb and both names; worded when read. The phrase is in the
# catalogue, so the Chinese title really differs from the English one.
PARAMS = {
    "enterprise_zh": "中国测试能源集团有限公司",
    "enterprise_en": "China Test Energy Group",
    "deliverable_zh": "实施方案",
    "deliverable_en": "Implementation plan",
}
TITLE_ZH = "中国测试能源集团有限公司 已将“实施方案”提交审核"
TITLE_EN = "China Test Energy Group submitted “Implementation plan” for review"


def submitted_by(enterprise: str) -> dict[str, str]:
    """Params of a submission by an enterprise with this name in both languages (and a
    deliverable without an English title: shown in Chinese in both)."""
    return {
        "enterprise_zh": enterprise,
        "enterprise_en": enterprise,
        "deliverable_zh": "实施方案",
        "deliverable_en": "",
    }


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
            "params": PARAMS,
            "url": "/accounts/security/",
        }
        options.update(kw)
        return notify(recipients=recipients, **options)

    return make
