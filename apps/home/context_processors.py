from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from apps.enterprises.models import Authority, Enterprise
from apps.enterprises.scopes import scope_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def _nav_items(user: Any) -> list[NavItem]:
    scope = scope_for(user)
    items: list[NavItem] = []
    # Names need one query each kind; most users have one membership, so the menu is short.
    if scope.enterprise_roles:
        for enterprise in Enterprise.objects.filter(pk__in=list(scope.enterprise_roles)).only(
            "credit_code", "name_zh", "name_en"
        ):
            items.append(NavItem(enterprise.name, enterprise.get_absolute_url()))
    if scope.authority_roles:
        for authority in Authority.objects.filter(pk__in=list(scope.authority_roles)):
            items.append(
                NavItem(
                    _("%(authority)s: enterprises") % {"authority": authority.name},
                    authority.get_absolute_url(),
                )
            )
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # Lazy: pages that never render the menu (JSON, downloads) pay nothing.
    return {"nav_items": SimpleLazyObject(lambda: _nav_items(user))}
