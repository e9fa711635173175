from typing import Any

from django.shortcuts import get_object_or_404

from apps.filings.models import Filing
from apps.stages.models import Designation, DesignationQuerySet


def get_designation_for_user(user: Any, pk: int) -> Designation:
    """A designation whose filing the user may open, or 404."""
    return get_object_or_404(
        Designation.objects.select_related("filing__enterprise", "enterprise").filter(
            filing__in=Filing.objects.for_user(user)
        ),
        pk=pk,
    )


def national_designations() -> DesignationQuerySet:
    """Every named model enterprise and benchmarking project in force, with what the national
    list shows: names, authority, year, case titles (no filing content)."""
    return Designation.objects.active().select_related("enterprise", "authority")
