from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.enterprises.models import Membership
from apps.enterprises.panels import authority_panels, enterprise_panels
from apps.enterprises.selectors import get_authority_for_user, get_enterprise_for_user

PAGE_SIZE = 50


@login_required
def enterprise_detail(request: HttpRequest, credit_code: str) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, credit_code)
    members = None
    if request.user.has_perm("enterprises.view_enterprise_members", enterprise):
        members = (
            Membership.objects.active()
            .filter(enterprise=enterprise)
            .select_related("user")
            .order_by("role", "user__full_name")
        )
    subsidiaries = enterprise.subsidiaries.order_by("credit_code")
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "members": members,
            "subsidiaries": subsidiaries,
            "can_edit_contact": request.user.has_perm(
                "enterprises.edit_enterprise_contact", enterprise
            ),
            "panels": enterprise_panels(request, enterprise),
        },
    )


@login_required
def authority_detail(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_authority_for_user(request.user, code)
    enterprises = authority.enterprises.select_related("parent").order_by("credit_code")
    page = Paginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/authority_detail.html",
        {"authority": authority, "page": page, "panels": authority_panels(request, authority)},
    )
