from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.http import client_ip
from apps.core.pagination import keyset_paginate
from apps.enterprises.forms import EnterpriseContactForm
from apps.enterprises.models import Enterprise
from apps.enterprises.selectors import get_enterprise_for_user
from apps.enterprises.services import enterprise_update_contact
from apps.registry.filters import EnterpriseFilter

PAGE_SIZE = 50
ORDERINGS = {"code": ["credit_code"], "name": ["name_zh", "credit_code"]}


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    base = Enterprise.objects.for_user(request.user)
    filterset = EnterpriseFilter(request.GET or None, queryset=base, user=request.user)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    sort = request.GET.get("sort", "code")
    ordering = ORDERINGS.get(sort, ORDERINGS["code"])
    page = keyset_paginate(
        queryset.select_related("authority", "parent"),
        ordering=ordering,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        page_size=PAGE_SIZE,
    )
    params = request.GET.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    return render(
        request,
        "registry/enterprise_list.html",
        {
            "filter": filterset,
            "page": page,
            "total": queryset.count(),
            "sort": sort if sort in ORDERINGS else "code",
            "query_string": params.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_contact_edit(request: HttpRequest, credit_code: str) -> HttpResponse:
    enterprise = get_enterprise_for_user(
        request.user, credit_code, perm="enterprises.edit_enterprise_contact"
    )
    form = EnterpriseContactForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        enterprise_update_contact(
            enterprise=enterprise,
            actor=request.user,
            ip_address=client_ip(request),
            **form.cleaned_data,
        )
        messages.success(request, _("Contact details saved."))
        return redirect(enterprise)
    return render(
        request, "registry/enterprise_contact_form.html", {"enterprise": enterprise, "form": form}
    )
