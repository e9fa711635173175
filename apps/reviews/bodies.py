"""The body that reviews a filing: a supervising authority, or a group headquarters for the
subsidiaries that file to it. The queue and its actions are written once for both."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from apps.enterprises.models import (
    AUTHORITY_ROLES,
    GROUP_ROLES,
    Authority,
    Enterprise,
    Role,
)
from apps.enterprises.scopes import scope_for
from apps.enterprises.selectors import get_authority_for_user


@dataclass(frozen=True)
class ReviewingBody:
    authority: Authority
    # Set for a group's own queue: what its subsidiaries file to it.
    group: Enterprise | None = None

    @property
    def name(self) -> str:
        return self.group.name if self.group is not None else self.authority.name

    @property
    def home_url(self) -> str:
        target: Any = self.group if self.group is not None else self.authority
        return str(target.get_absolute_url())

    def url(self, name: str) -> str:
        """One of the queue's URLs ("queue", "queue_assign", "queue_take") for this body."""
        if self.group is not None:
            return reverse(f"reviews:group_{name}", args=[self.group.credit_code])
        return reverse(f"reviews:{name}", args=[self.authority.code])

    def filings_filter(self) -> Q:
        if self.group is not None:
            return Q(reviewing_group=self.group)
        # A group reviews its subsidiaries' filings itself.
        return Q(enterprise__authority=self.authority, reviewing_group__isnull=True)

    def role_of(self, user: Any) -> str | None:
        """Reviewer or lead reviewer here (a group role counts as its authority
        counterpart), else None."""
        return scope_for(user).reviewing_role(
            group_id=self.group.pk if self.group is not None else None,
            authority_id=self.authority.pk,
        )

    def is_reviewer(self, user: Any) -> bool:
        return self.role_of(user) is not None

    def is_lead_reviewer(self, user: Any) -> bool:
        return self.role_of(user) == Role.LEAD_REVIEWER

    def membership_filter(self) -> dict[str, Any]:
        """Lookups, under ``memberships__``, of the people who review here."""
        if self.group is not None:
            return {"enterprise": self.group, "role__in": GROUP_ROLES}
        return {"authority": self.authority, "role__in": AUTHORITY_ROLES}


def authority_body_for_user(user: Any, code: str) -> ReviewingBody:
    return ReviewingBody(authority=get_authority_for_user(user, code))


def group_body_for_user(user: Any, credit_code: str) -> ReviewingBody:
    """A group's queue, for its group reviewers only: anyone else gets a 404."""
    group = get_object_or_404(
        Enterprise.objects.select_related("authority"), credit_code=credit_code
    )
    if group.parent_id is not None or scope_for(user).group_role(group.pk) is None:
        raise Http404
    return ReviewingBody(authority=group.authority, group=group)


def reviewing_queryset(body: ReviewingBody, queryset: "QuerySet[Any]") -> "QuerySet[Any]":
    return queryset.filter(body.filings_filter())
