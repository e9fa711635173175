from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.enterprises.models import Authority, Enterprise, Role
from apps.enterprises.scopes import scope_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def _nav_items(user: Any) -> list[NavItem]:
    """Short labels; the scope's name is added only when a user has more than one scope."""
    scope = scope_for(user)
    items: list[NavItem] = []
    several = len(scope.enterprise_roles) + len(scope.authority_roles) > 1
    # One query per kind of membership; most users have one, so the menu is short.
    if scope.enterprise_roles:
        for enterprise in Enterprise.objects.filter(pk__in=list(scope.enterprise_roles)).only(
            "credit_code", "name_zh", "name_en"
        ):
            items.append(
                NavItem(
                    enterprise.name if several else _("My enterprise"),
                    enterprise.get_absolute_url(),
                )
            )
            if scope.enterprise_roles[enterprise.pk] == Role.LEAD:
                items.append(
                    NavItem(
                        _("Members"),
                        reverse("people:enterprise_people", args=[enterprise.credit_code]),
                    )
                )
    if scope.authority_roles:
        for authority in Authority.objects.filter(pk__in=list(scope.authority_roles)):
            prefix = f"{authority.name} · " if several else ""
            items.append(
                NavItem(
                    prefix + _("Enterprises"),
                    f"{reverse('registry:enterprise_list')}?authority={authority.code}",
                )
            )
            items.append(
                NavItem(
                    prefix + _("Review queue"),
                    reverse("reviews:queue", args=[authority.code]),
                )
            )
            items.append(
                NavItem(
                    prefix + _("Progress and deadlines"),
                    reverse("timeline:authority_obligations", args=[authority.code]),
                )
            )
            if scope.authority_roles[authority.pk] == Role.LEAD_REVIEWER:
                items.append(
                    NavItem(
                        prefix + _("Reviewers"),
                        reverse("people:authority_people", args=[authority.code]),
                    )
                )
    if scope.is_admin:
        items += [
            NavItem(_("Enterprise registry"), reverse("registry:enterprise_list")),
            NavItem(_("Campaigns"), reverse("timeline:campaign_list")),
        ]
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # Lazy: pages that never render the menu (JSON, downloads) pay nothing. Cached for a few
    # minutes per user, scope and language: names of enterprises rarely change, and a change
    # of membership changes the scope, hence the key.
    return {"nav_items": SimpleLazyObject(lambda: _cached_nav_items(user))}


def _cached_nav_items(user: Any) -> list[NavItem]:
    scope = scope_for(user)
    memberships = ",".join(
        f"{kind}{pk}={role}"
        for kind, roles in (("e", scope.enterprise_roles), ("a", scope.authority_roles))
        for pk, role in sorted(roles.items())
    )
    key = f"nav:{user.pk}:{get_language()}:{int(scope.is_admin)}:{memberships}"
    items = cache.get(key)
    if items is None:
        items = _nav_items(user)
        cache.set(key, items, 300)
    return items
