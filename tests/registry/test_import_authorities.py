"""manage.py import_authorities FILE [--dry-run]: city commissions under their provinces."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import override
from openpyxl import Workbook

from apps.audit.models import AuditEvent
from apps.enterprises.authorities import city_commission_ensure
from apps.enterprises.models import Authority
from apps.registry.authorities import AUTHORITY_COLUMNS
from tests.conftest import World
from tests.factories import EnterpriseFactory
from tests.registry.test_import_files import code, csv_bytes, row

pytestmark = pytest.mark.django_db

HEADER = "code,name_zh,name_en,parent_code,kind"


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "authorities.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with override("en"):
        call_command("import_authorities", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: Path) -> str:
    err = io.StringIO()
    with override("en"), pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_authorities", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def tree() -> dict[str, str | None]:
    """City commission → its province's code."""
    return dict(Authority.objects.filter(parent__isnull=False).values_list("code", "parent__code"))


def test_imports_cities_under_their_provinces(world: World, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "440100,广州市国资委,Guangzhou SASAC,44,",
        "440600,佛山市国资委,Foshan SASAC,44,prefecture",
        "320100,南京市国资委,Nanjing SASAC,32,地市级国资委",
    )
    out, _err = run(path, "--dry-run")
    assert "line 2: create 440100 广州市国资委 (44)" in out
    assert tree() == {}  # a dry run writes nothing
    out, _err = run(path)
    assert "Imported: 3 created, 0 updated, 0 unchanged." in out
    assert tree() == {"440100": "44", "440600": "44", "320100": "32"}
    gz = Authority.objects.get(code="440100")
    assert (gz.kind, gz.name_en, gz.sort_order) == (
        "prefecture", "Guangzhou SASAC", world.guangdong.sort_order
    )  # fmt: skip
    events = AuditEvent.objects.filter(action="authority.create")
    assert sorted(e.data["code"] for e in events) == ["320100", "440100", "440600"]
    # Again, with one rename: one update, the rest unchanged, nothing duplicated.
    path = write(
        tmp_path,
        "440100,广州市人民政府国有资产监督管理委员会,,44,",
        "440600,佛山市国资委,Foshan SASAC,44,",
    )
    out, _err = run(path)
    assert "Imported: 0 created, 1 updated, 1 unchanged." in out
    gz.refresh_from_db()
    assert (gz.name_zh, gz.name_en) == ("广州市人民政府国有资产监督管理委员会", "Guangzhou SASAC")
    assert Authority.objects.count() == 41


def test_chinese_headers_and_xlsx(world: World, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([c.label_zh for c in AUTHORITY_COLUMNS])
    sheet.append([440100, "广州市国资委", "Guangzhou SASAC", 44, ""])
    path = tmp_path / "authorities.xlsx"
    book.save(path)
    run(path)
    assert tree() == {"440100": "44"}


@pytest.mark.parametrize(
    ("lines", "expect"),
    [
        (["440100,广州市国资委,Guangzhou SASAC,99,"],
         "line 2, column parent_code: Unknown parent authority “99”: it is neither registered "
         "nor in this file."),
        (["440100,广州市国资委,Guangzhou SASAC,4403,"],
         "line 2, column parent_code: 4403 is not a provincial-level commission"),
        (["440100,广州市国资委,Guangzhou SASAC,SASAC,"],
         "line 2, column parent_code: SASAC is not a provincial-level commission"),
        (["440100,广州市国资委,Guangzhou SASAC,,prefecture"],
         "line 2, column parent_code: Give the code of the provincial commission"),
        (["450100,南宁市国资委,Nanning SASAC,44,"],
         "line 2, column code: The code 450100 is not in province 44"),
        (["4401,广州市国资委,Guangzhou SASAC,44,"],
         "line 2, column code: A prefecture-level city commission has its city's six-digit"),
        (["440300,深圳市国资委,Shenzhen SASAC,44,"],
         "line 2, column code: This city has independent planning status: its commission, "
         "4403, answers to no province."),
        (["440100,广州市国资委,,44,"],
         "line 2, column name_en: A new authority needs its English name."),
        (["440100,广州市国资委,Guangzhou SASAC,44,town"],
         "line 2, column kind: Unknown kind “town”"),
        (["440100,广州市国资委,Guangzhou SASAC,44,", "440100,广州市国资委,Guangzhou,44,"],
         "line 3, column code: The authority 440100 is already on line 2."),
        # A province may not be put under anything, nor lose its cities' kind.
        (["44,广东省国资委,Guangdong SASAC,11,provincial"],
         "line 2, column parent_code: Only a prefecture-level city commission sits under"),
        (["440100,广州市国资委,Guangzhou SASAC,44,", "44,广东省国资委,Guangdong SASAC,,city"],
         "line 3, column kind: City commissions sit under 44 (440100)"),
        # Cycles, however they are spelt: named as such.
        (["440100,广州市国资委,Guangzhou SASAC,440600,", "440600,佛山市国资委,Foshan,440100,"],
         "line 2, column parent_code: The parents form a cycle: 440100 → 440600 → 440100."),
        (["440100,广州市国资委,Guangzhou SASAC,440100,"],
         "line 2, column parent_code: The parents form a cycle: 440100 → 440100."),
    ],
)  # fmt: skip
def test_refusals_name_the_line_and_write_nothing(
    world: World, tmp_path: Path, lines: list[str], expect: str
) -> None:
    before = (Authority.objects.count(), AuditEvent.objects.count())
    err = refused(write(tmp_path, *lines))
    assert expect in err, err
    assert (Authority.objects.count(), AuditEvent.objects.count()) == before
    assert Authority.objects.get(code="44").kind == "provincial"


def test_a_city_cannot_move_to_a_province_it_is_not_in(world: World, tmp_path: Path) -> None:
    city_commission_ensure(
        code="440100", name_zh="广州市国资委", name_en="Guangzhou SASAC", province_code="44"
    )
    EnterpriseFactory(authority=Authority.objects.get(code="440100"))
    err = refused(write(tmp_path, "440100,广州市国资委,Guangzhou SASAC,11,"))
    assert "line 2, column code: The code 440100 is not in province 11" in err
    assert tree() == {"440100": "44"}


def test_a_file_that_cannot_be_read_is_refused(world: World, tmp_path: Path) -> None:
    err = refused(write(tmp_path, "440100,广州市国资委", header="name_en,parent_code"))
    assert "Required column(s) missing: code (机构代码), name_zh (机构名称)" in err


def test_enterprises_then_file_to_a_registered_city(world: World, tmp_path: Path) -> None:
    enterprises = tmp_path / "enterprises.csv"
    enterprises.write_bytes(csv_bytes([row(code(1), "广州导入地铁有限公司", authority="440100")]))
    err = io.StringIO()
    with override("en"), pytest.raises(CommandError):
        call_command("import_enterprises", str(enterprises), stdout=io.StringIO(), stderr=err)
    assert "Unknown authority code “440100”" in err.getvalue()  # not registered yet
    run(write(tmp_path, "440100,广州市国资委,Guangzhou SASAC,44,"))
    with override("en"):
        call_command("import_enterprises", str(enterprises), stdout=io.StringIO())
    assert Authority.objects.get(code="440100").enterprises.get().name_zh == "广州导入地铁有限公司"
