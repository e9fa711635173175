from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.enterprises.models import Authority, Enterprise
from apps.enterprises.scopes import scope_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each user's start page: one card per enterprise or authority they work for."""
    scope = scope_for(request.user)
    enterprises = list(
        Enterprise.objects.filter(pk__in=list(scope.enterprise_roles)).select_related("authority")
    )
    authorities = list(Authority.objects.filter(pk__in=list(scope.authority_roles)))
    enterprise_cards = [(e, scope.enterprise_roles[e.pk]) for e in enterprises]
    authority_cards = [(a, scope.authority_roles[a.pk]) for a in authorities]
    return render(
        request,
        "home/home.html",
        {
            "enterprise_cards": enterprise_cards,
            "authority_cards": authority_cards,
            "is_admin": scope.is_admin,
            "enterprise_count": Enterprise.objects.count() if scope.is_admin else None,
        },
    )
