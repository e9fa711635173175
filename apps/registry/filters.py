from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.enterprises.models import Authority, Enterprise, FunctionalCategory, Industry

LEVEL_CHOICES = [("group", _("Groups")), ("subsidiary", _("Subsidiaries"))]
ACTIVE_CHOICES = [("yes", _("Active")), ("no", _("Inactive"))]
SORT_CHOICES = [("code", _("Credit code")), ("name", _("Chinese name"))]


class EnterpriseFilter(django_filters.FilterSet):
    """Registry filters. The authority choices are the user's own (all for an admin), so a
    filter can never widen what ``for_user`` already allows."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    authority = django_filters.ModelChoiceFilter(
        queryset=Authority.objects.none(),
        to_field_name="code",
        label=_("Supervising authority"),
        empty_label=_("All authorities"),
    )
    category = django_filters.ChoiceFilter(
        choices=FunctionalCategory.choices, label=_("Functional category"), empty_label=_("All")
    )
    industry = django_filters.ChoiceFilter(
        choices=Industry.choices, label=_("Industry section"), empty_label=_("All")
    )
    active = django_filters.ChoiceFilter(
        choices=ACTIVE_CHOICES, method="filter_active", label=_("Status"), empty_label=_("All")
    )
    level = django_filters.ChoiceFilter(
        choices=LEVEL_CHOICES,
        method="filter_level",
        label=_("Group or subsidiary"),
        empty_label=_("All"),
    )

    class Meta:
        model = Enterprise
        fields = ["q", "authority", "category", "industry", "active", "level"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authorities = (
            Authority.objects.for_user(user) if user is not None else Authority.objects.none()
        )
        self.filters["authority"].queryset = authorities
        for field in self.form.fields.values():
            css = (
                "form-control form-control-sm"
                if field.widget.input_type == "text"
                else "form-select form-select-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def search(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(credit_code__istartswith=value)
            | Q(name_zh__icontains=value)
            | Q(name_en__icontains=value)
        )

    def filter_active(
        self, queryset: QuerySet[Enterprise], name: str, value: str
    ) -> QuerySet[Enterprise]:
        return queryset.filter(is_active=(value == "yes"))

    def filter_level(
        self, queryset: QuerySet[Enterprise], name: str, value: str
    ) -> QuerySet[Enterprise]:
        return queryset.filter(parent__isnull=(value == "group"))
