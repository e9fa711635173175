from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.enterprises.models import Authority, Enterprise
from apps.enterprises.scopes import scope_for
from apps.home.due import DueItem, Urgency, due_context, due_items


@dataclass(frozen=True)
class EnterpriseCard:
    enterprise: Enterprise
    role: str
    overdue: int
    # The next deliverable still to hand in that is not overdue (those are in the banner).
    next_item: DueItem | None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each user's start page: what is overdue first, then one card per enterprise or
    authority they work for, an enterprise's with its next deadline."""
    scope = scope_for(request.user)
    enterprises = list(
        Enterprise.objects.filter(pk__in=list(scope.enterprise_roles)).select_related("authority")
    )
    authorities = list(Authority.objects.filter(pk__in=list(scope.authority_roles)))
    items = due_items(enterprises, scope.enterprise_roles)
    enterprise_cards = [
        EnterpriseCard(
            enterprise=e,
            role=scope.enterprise_roles[e.pk],
            overdue=sum(
                1 for i in items if i.enterprise.pk == e.pk and i.urgency == Urgency.OVERDUE
            ),
            next_item=next(
                (
                    i
                    for i in items
                    if i.enterprise.pk == e.pk and i.urgency in (Urgency.SOON, Urgency.LATER)
                ),
                None,
            ),
        )
        for e in enterprises
    ]
    authority_cards = [(a, scope.authority_roles[a.pk]) for a in authorities]
    return render(
        request,
        "home/home.html",
        {
            **due_context(items),
            "show_enterprise": True,
            "enterprise_cards": enterprise_cards,
            "authority_cards": authority_cards,
            "is_admin": scope.is_admin,
            "enterprise_count": Enterprise.objects.count() if scope.is_admin else None,
        },
    )
