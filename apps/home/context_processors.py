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
    url: str = ""
    # A menu of its own (a dropdown) when not empty.
    children: tuple["NavItem", ...] = ()


NATIONAL_AUTHORITY = "SASAC"


def _authority_menu(authority: Authority, role: str) -> list[NavItem]:
    code = authority.code
    items = [
        NavItem(_("Review queue"), reverse("reviews:queue", args=[code])),
        NavItem(_("Dashboard"), reverse("dashboards:authority", args=[code])),
        NavItem(
            _("Progress and deadlines"), reverse("timeline:authority_obligations", args=[code])
        ),
        NavItem(_("Enterprises"), f"{reverse('registry:enterprise_list')}?authority={code}"),
        # Model enterprises and benchmarking projects: nominations, scores, public notices.
        NavItem(_("Nominations"), reverse("nominations:authority_list", args=[code])),
    ]
    if role == Role.LEAD_REVIEWER:
        items += [
            NavItem(_("Filing packets"), reverse("packets:authority", args=[code])),
            NavItem(_("Reviewers"), reverse("people:authority_people", args=[code])),
        ]
    return items


def _nav_items(user: Any) -> list[NavItem]:
    """Short labels; an enterprise's or authority's name is shown only when a user has more
    than one scope. An authority's pages are grouped in one menu, so the bar stays short."""
    scope = scope_for(user)
    items: list[NavItem] = []
    several = len(scope.enterprise_roles) + len(scope.authority_roles) + len(scope.group_roles) > 1
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
    if scope.group_roles:
        # A group's reviewers: what its subsidiaries file to it.
        for group in Enterprise.objects.filter(pk__in=list(scope.group_roles)).only(
            "credit_code", "name_zh", "name_en"
        ):
            items.append(
                NavItem(
                    group.name if several else _("Group review"),
                    reverse("reviews:group_queue", args=[group.credit_code]),
                )
            )
    national = scope.is_admin
    if scope.authority_roles:
        for authority in Authority.objects.filter(pk__in=list(scope.authority_roles)):
            menu = tuple(_authority_menu(authority, scope.authority_roles[authority.pk]))
            items.append(NavItem(authority.name if several else _("Review"), children=menu))
            national = national or authority.code == NATIONAL_AUTHORITY
    if national:
        items.append(NavItem(_("National overview"), reverse("dashboards:national")))
    items.append(NavItem(_("Model enterprises"), reverse("stages:national_list")))
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
        for kind, roles in (
            ("e", scope.enterprise_roles),
            ("a", scope.authority_roles),
            ("g", scope.group_roles),
        )
        for pk, role in sorted(roles.items())
    )
    key = f"nav:{user.pk}:{get_language()}:{int(scope.is_admin)}:{memberships}"
    items = cache.get(key)
    if items is None:
        items = _nav_items(user)
        cache.set(key, items, 300)
    return items
