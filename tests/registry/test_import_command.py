"""manage.py import_enterprises FILE [--dry-run]."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections
from django.utils.translation import override

from apps.audit.models import AuditEvent
from apps.enterprises.models import Enterprise
from tests.conftest import World
from tests.registry.test_import_files import (
    BAD_FILES,
    BAD_IDS,
    BadFile,
    code,
    csv_bytes,
    good_rows,
    row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db


def written() -> tuple[int, int]:
    return Enterprise.objects.count(), AuditEvent.objects.count()


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with override("en"):
        call_command("import_enterprises", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("bad", BAD_FILES, ids=BAD_IDS)
def test_bad_file_fails_prints_the_line_and_writes_nothing(
    bad: BadFile, world: World, tmp_path: Path
) -> None:
    path = tmp_path / bad.name
    path.write_bytes(bad.content())
    before = written()
    err = io.StringIO()
    with override("en"), pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_enterprises", str(path), stdout=io.StringIO(), stderr=err)
    assert written() == before
    assert bad.expect in err.getvalue(), err.getvalue()
    if bad.line is not None:
        assert f"line {bad.line}" in err.getvalue()


def test_dry_run_of_a_bad_file_fails_too(world: World, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([row(code(1)), row(code(2), authority="99")]))
    err = io.StringIO()
    with override("en"), pytest.raises(CommandError):
        call_command("import_enterprises", str(path), "--dry-run", stderr=err)
    assert "line 3, column authority_code: Unknown authority code “99”" in err.getvalue()


def test_exit_status_is_one_on_errors(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command line closes the database connections on exit: not the test's connection.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([row(code(1), parent=code(1))]))
    before = written()
    with override("en"), pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "import_enterprises", str(path)])
    assert exited.value.code == 1
    assert written() == before


def test_dry_run_prints_the_plan_and_writes_nothing(world: World, tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    existing = world.bj_enterprise
    path.write_bytes(
        csv_bytes(
            [
                row(code(1)),
                row(
                    existing.credit_code,
                    "北京改名有限公司",
                    authority="11",
                    name_en=existing.name_en,
                ),
            ],
            encoding="gbk",
        )
    )
    before = written()
    out, _ = run(path, "--dry-run")
    assert written() == before
    assert f"line 2: create {code(1)}" in out
    assert f"line 3: update {existing.credit_code} (name_zh: " in out
    assert "1 to create, 1 to update" in out


def test_import_writes_and_prints_counts(world: World, tmp_path: Path) -> None:
    path = tmp_path / "good.xlsx"
    path.write_bytes(xlsx_file(good_rows(9)))
    enterprises, events = written()
    out, _ = run(path)
    assert "Imported: 9 created, 0 updated" in out
    assert written() == (enterprises + 9, events + 1)
    event = AuditEvent.objects.filter(action="enterprise.import").latest("id")
    assert event.actor is None
    assert event.data["file"] == "good.xlsx"


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with override("en"), pytest.raises(CommandError, match="Cannot open"):
        call_command("import_enterprises", str(tmp_path / "nope.csv"))
