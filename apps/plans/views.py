import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_POST

from apps.plans.gaps import indicator_gap

TARGET_KEY = re.compile(r"-target_(\d{4})$")
# "indicators-3-baseline" → the row's prefix "indicators-3-".
ROW_FIELD = re.compile(r"^(?P<prefix>\w+-\d+-)\w+$")


def _row_values(post: QueryDict, row_prefix: str) -> dict[str, object]:
    """The gap inputs of one row: those under ``row_prefix`` when it is known, else the
    first key ending in each field name."""

    def pick(suffix: str) -> str:
        for key in post:
            if key.startswith(row_prefix) and key.endswith(suffix):
                return post.get(key, "")
        return ""

    targets: dict[str, str] = {}
    for key in post:
        match = TARGET_KEY.search(key)
        if match and key.startswith(row_prefix):
            targets.setdefault(match.group(1), post.get(key, ""))
    return {
        "baseline": pick("-baseline"),
        "benchmark": pick("-benchmark"),
        "direction": pick("-direction"),
        # The unit gives the precision the gap is shown with (a hidden input on core rows).
        "unit": pick("-unit"),
        "targets": targets,
    }


@login_required
@require_POST
def indicator_gap_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """The gap cell of one indicator row, recomputed as the editor types. Nothing is saved.

    htmx posts the whole enclosing form on a non-GET request (and the form's values win
    over hx-include), so every row arrives; the changed input's name, sent as
    HX-Trigger-Name, says which row to read."""
    from apps.filings.selectors import get_filing_for_user  # filings sits above plans

    get_filing_for_user(request.user, pk)  # 404 outside the user's scope
    match = ROW_FIELD.match(request.headers.get("HX-Trigger-Name", ""))
    row = _row_values(request.POST, match.group("prefix") if match else "")
    return render(request, "plans/_gap.html", {"gap": indicator_gap(row)})
