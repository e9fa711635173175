"""The nomination workflow as a state × role matrix, and the rule that designations are made
only through a nomination."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from apps.nominations.workflow import RULES, Status, Step, allows

R, L = "reviewer", "lead_reviewer"
# step → {status: roles that may take it}; every other (status, role) is refused.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "score": {"nominated": {R, L}},
    "propose": {"nominated": {L}},
    "reject": {"nominated": {L}, "proposed": {L}},
    "publish": {"proposed": {L}},
    "object": {"in_notice": {R, L}},
    "resolve": {"in_notice": {L}},
    "designate": {"in_notice": {L}},
}
ROLES = [R, L, "lead", "editor", None]


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", ROLES)
def test_state_role_matrix(step: Step, status: Status, role: str | None) -> None:
    expected = role in EXPECTED[step.value].get(status.value, set())
    assert allows(step, status, role) is expected


def test_every_step_has_a_rule() -> None:
    assert set(RULES) == set(Step) and set(EXPECTED) == {s.value for s in Step}


def _calls(name: str) -> set[str]:
    """The files under apps/ that call ``name`` (as a function or a method)."""
    found: set[str] = set()
    base = Path(settings.BASE_DIR)
    for path in (base / "apps").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = getattr(func, "id", getattr(func, "attr", ""))
                if called == name:
                    found.add(str(path.relative_to(base)))
    return found


def test_designations_are_made_only_through_a_nomination() -> None:
    assert _calls("designation_record") == {"apps/nominations/services.py"}
    # The row itself is built in one place: the stages service the nomination calls.
    assert _calls("Designation") == {"apps/stages/services.py"}
    base = Path(settings.BASE_DIR)
    shortcuts = [
        str(path.relative_to(base))
        for path in (base / "apps").rglob("*.py")
        if "Designation.objects.create" in path.read_text(encoding="utf-8")
        or "Designation.objects.bulk_create" in path.read_text(encoding="utf-8")
    ]
    assert shortcuts == []
