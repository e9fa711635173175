from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from apps.enterprises.models import Industry
from apps.filings.models import Filing
from apps.plans.constants import ActionArea
from apps.stages.models import Designation

# The public list's order: by industry section, then action area, newest first within; the
# id makes the keyset unique.
NATIONAL_ORDERING = ["industry_code", "field_code", "-id"]


def get_designation_for_user(user: Any, pk: int) -> Designation:
    """A designation whose filing the user may open, or 404."""
    return get_object_or_404(
        Designation.objects.select_related("filing__enterprise", "enterprise").filter(
            filing__in=Filing.objects.for_user(user)
        ),
        pk=pk,
    )


class NationalRow(TypedDict):
    industry_code: str
    field_code: str
    public_summary: str


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A designation with the annotations national_designations() adds.
    NationalDesignation = WithAnnotations[Designation, NationalRow]
else:
    NationalDesignation = Designation


def national_designations() -> "QuerySet[NationalDesignation]":
    """Every model enterprise and benchmarking project in force, with what the public list
    shows: names, authority, year, title, and from the nomination it came through its
    industry, action area and the case summary if that was approved for publication (no
    filing content).

    The nomination is apps.nominations' (above this app), reached by the name of its
    one-to-one link, ``nomination``, and never imported. A designation made before
    nominations existed has none: its enterprise's industry, no action area, no summary."""
    return (
        Designation.objects.active()
        .select_related("enterprise", "authority")
        .annotate(
            industry_code=Coalesce(
                F("nomination__industry"), F("enterprise__industry"), output_field=CharField()
            ),
            field_code=Coalesce(F("nomination__field"), Value(""), output_field=CharField()),
            public_summary=Case(
                When(nomination__publish_summary=True, then=F("nomination__case_summary")),
                default=Value(""),
                output_field=CharField(),
            ),
        )
    )


def national_industries(queryset: "QuerySet[NationalDesignation]") -> list[str]:
    """The industry sections that have entries in ``queryset`` (one query, at most 20
    rows): the list's industry filter."""
    return list(
        queryset.order_by("industry_code").values_list("industry_code", flat=True).distinct()
    )


@dataclass
class FieldGroup:
    code: str
    label: str
    designations: list[NationalDesignation] = field(default_factory=list)


@dataclass
class IndustryGroup:
    code: str
    label: str
    fields: list[FieldGroup] = field(default_factory=list)


def group_designations(rows: Sequence[NationalDesignation]) -> list[IndustryGroup]:
    """One page of the list (in NATIONAL_ORDERING), grouped by industry, then action area.
    No queries: the labels are the choices'."""
    industries = dict(Industry.choices)
    areas = dict(ActionArea.choices)
    groups: list[IndustryGroup] = []
    for row in rows:
        industry, area = row.industry_code or "", row.field_code or ""
        if not groups or groups[-1].code != industry:
            groups.append(IndustryGroup(industry, str(industries.get(industry, industry))))
        fields = groups[-1].fields
        if not fields or fields[-1].code != area:
            fields.append(FieldGroup(area, str(areas.get(area, "")) if area else ""))
        fields[-1].designations.append(row)
    return groups
