"""enterprises_import: all or nothing, upserts by credit code, one audit event, batched."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from apps.audit.models import AuditEvent
from apps.enterprises.models import Enterprise
from apps.registry.importing import read_import_file
from apps.registry.services import ImportOutcome, ImportRejected, enterprises_import
from tests.conftest import World
from tests.factories import EnterpriseFactory
from tests.registry.test_import_files import (
    BAD_FILES,
    BAD_IDS,
    HEADER_EN,
    HEADER_ZH,
    BadFile,
    code,
    csv_bytes,
    good_rows,
    row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db


def run_import(content: bytes, *, name: str = "enterprises.csv", actor=None) -> ImportOutcome:  # type: ignore[no-untyped-def]
    parsed = read_import_file(content, name=name, size=len(content))
    return enterprises_import(parsed=parsed, actor=actor, ip_address="192.0.2.7")


def written() -> tuple[int, int]:
    return Enterprise.objects.count(), AuditEvent.objects.count()


def refused(content: bytes, *, name: str = "enterprises.csv") -> str:
    before = written()
    with override("en"), pytest.raises(ImportRejected) as caught:
        run_import(content, name=name)
    assert written() == before, "a refused import wrote something"
    with override("en"):
        return "\n".join(str(e) for e in caught.value.result.errors)


@pytest.mark.parametrize("bad", BAD_FILES, ids=BAD_IDS)
def test_bad_file_is_refused_and_nothing_is_written(bad: BadFile, world: World) -> None:
    text = refused(bad.content(), name=bad.name)
    assert bad.expect in text, text
    if bad.line is not None:
        assert f"line {bad.line}" in text, text


def test_one_bad_row_among_good_ones_writes_nothing(world: World) -> None:
    rows = [*good_rows(30), row(code(500), authority="99")]
    text = refused(csv_bytes(rows))
    assert "line 32, column authority_code" in text


def test_every_error_is_reported_not_just_the_first(world: World) -> None:
    rows = [row(code(1), authority="99"), row(code(2), category="x"), row(code(3), industry="Z")]
    text = refused(csv_bytes(rows))
    assert "line 2, column authority_code" in text
    assert "line 3, column category" in text
    assert "line 4, column industry" in text


def test_empty_required_field_names_line_and_column(world: World) -> None:
    text = refused(csv_bytes([row(code(1)), row(code(2), industry="")]))
    assert "line 3, column industry: The value is missing" in text


def test_bad_listed_value(world: World) -> None:
    text = refused(csv_bytes([row(code(1), listed="maybe")]))
    assert "line 2, column listed" in text
    assert "“maybe”" in text


def test_errors_use_the_files_own_column_names(world: World) -> None:
    text = refused(csv_bytes([row(code(1), authority="99")], header=HEADER_ZH))
    assert "line 2, column 监管机构代码" in text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_each_encoding_creates_the_enterprises(encoding: str, world: World) -> None:
    rows = [row(code(1), name_zh="福建测试集团有限公司", listed="是"), row(code(2), parent=code(1))]
    outcome = run_import(csv_bytes(rows, encoding=encoding))
    assert (outcome.created, outcome.updated) == (2, 0)
    group = Enterprise.objects.get(credit_code=code(1))
    assert group.name_zh == "福建测试集团有限公司"
    assert group.listed is True
    assert group.authority.code == "35"
    assert Enterprise.objects.get(credit_code=code(2)).parent == group


def test_xlsx_with_chinese_headers_and_chinese_values(world: World) -> None:
    content = xlsx_file(
        [
            [code(1), "福建测试集团有限公司", "Fujian Test", 35, "商业二类", "d", None, "否"],
            [code(2), "福建测试子公司", None, "35", "公益类", "N", code(1), True],
        ],
        header=HEADER_ZH,
    )
    outcome = run_import(content, name="企业.xlsx")
    assert outcome.created == 2
    child = Enterprise.objects.select_related("parent").get(credit_code=code(2))
    assert child.category == "public_welfare"
    assert child.listed is True
    assert child.parent is not None and child.parent.category == "commercial_2"
    assert child.parent.industry == "D"


def test_upsert_updates_existing_and_creates_new_with_group_after_its_child(
    world: World,
) -> None:
    existing = world.bj_enterprise
    new_group, new_child = code(1), code(2)
    rows = [
        row(new_child, authority="11", parent=new_group),
        row(
            existing.credit_code,
            name_zh="北京测试集团(更名)有限公司",
            name_en=existing.name_en,
            authority="11",
            category="public_welfare",
            industry=existing.industry,
            parent=new_group,
        ),
        row(new_group, authority="11", name_zh="北京新集团有限公司"),
    ]
    events = AuditEvent.objects.count()

    outcome = run_import(csv_bytes(rows), actor=world.admin)

    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 1, 0)
    existing.refresh_from_db()
    group = Enterprise.objects.get(credit_code=new_group)
    assert existing.name_zh == "北京测试集团(更名)有限公司"
    assert existing.category == "public_welfare"
    assert existing.parent == group
    assert Enterprise.objects.get(credit_code=new_child).parent == group
    assert group.parent is None

    changes = {c.field: (c.before, c.after) for c in outcome.result.updates[0].changes}
    assert changes["category"] == ("commercial_1", "public_welfare")
    assert changes["parent_credit_code"] == ("", new_group)

    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.get(pk=outcome.audit_event_id)
    assert event.action == "enterprise.import"
    assert event.actor == world.admin
    assert event.ip_address == "192.0.2.7"
    assert event.data["created"] == 2
    assert event.data["updated"] == 1
    assert len(event.data["sha256"]) == 64
    assert event.data["changes"][existing.credit_code]["category"] == [
        "commercial_1",
        "public_welfare",
    ]


def test_unchanged_rows_are_counted_and_not_touched(world: World) -> None:
    e = world.gd_enterprise
    stamp = e.updated_at
    content = csv_bytes(
        [row(e.credit_code, e.name_zh, name_en=e.name_en, authority="44", industry=e.industry)]
    )
    outcome = run_import(content)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)
    e.refresh_from_db()
    assert e.updated_at == stamp


def test_absent_optional_columns_keep_the_registered_values(world: World) -> None:
    group = EnterpriseFactory(authority=world.beijing)
    child = EnterpriseFactory(authority=world.beijing, parent=group, listed=True)
    header = ["credit_code", "name_zh", "authority_code", "category", "industry"]
    content = csv_bytes(
        [[child.credit_code, "新名称有限公司", "11", "commercial_1", "C"]], header=header
    )
    outcome = run_import(content)
    assert outcome.updated == 1
    child.refresh_from_db()
    assert child.name_zh == "新名称有限公司"
    assert child.parent == group
    assert child.listed is True
    assert child.name_en  # kept


def test_empty_parent_cell_makes_a_registered_subsidiary_a_group(world: World) -> None:
    group = EnterpriseFactory(authority=world.beijing)
    child = EnterpriseFactory(authority=world.beijing, parent=group)
    content = csv_bytes(
        [row(child.credit_code, child.name_zh, name_en=child.name_en, authority="11")]
    )
    outcome = run_import(content)
    assert outcome.updated == 1
    child.refresh_from_db()
    assert child.parent is None


def test_moving_a_group_without_its_registered_subsidiaries_is_refused(world: World) -> None:
    group = EnterpriseFactory(authority=world.beijing)
    sub = EnterpriseFactory(authority=world.beijing, parent=group)
    text = refused(csv_bytes([row(code(1)), row(group.credit_code, group.name_zh, authority="44")]))
    assert "line 3, column authority_code" in text
    assert sub.credit_code in text

    # Moving both in one file is fine.
    outcome = run_import(
        csv_bytes(
            [
                row(group.credit_code, group.name_zh, authority="44"),
                row(sub.credit_code, sub.name_zh, authority="44", parent=group.credit_code),
            ]
        )
    )
    assert outcome.updated == 2
    sub.refresh_from_db()
    assert sub.authority == world.guangdong


def test_cycle_through_a_registered_enterprise_is_refused(world: World) -> None:
    a = EnterpriseFactory(authority=world.sasac)
    b = EnterpriseFactory(authority=world.sasac, parent=a)
    text = refused(
        csv_bytes([row(a.credit_code, a.name_zh, authority="SASAC", parent=b.credit_code)])
    )
    assert "line 2, column parent_credit_code" in text
    assert "cycle" in text


def test_group_registered_under_another_authority_is_refused(world: World) -> None:
    text = refused(
        csv_bytes([row(code(1), authority="11", parent=world.gd_enterprise.credit_code)])
    )
    assert "line 2, column parent_credit_code" in text
    assert "registered in the system" in text


def test_a_preview_is_not_trusted_the_file_is_checked_again(world: World) -> None:
    """Between preview and confirm someone registers the group elsewhere."""
    content = csv_bytes([row(code(2), authority="11", parent=code(1))])
    parsed = read_import_file(content, name="x.csv")
    EnterpriseFactory(credit_code=code(1), authority=world.guangdong)
    with override("en"), pytest.raises(ImportRejected) as caught:
        enterprises_import(parsed=parsed, actor=None, ip_address=None)
    assert "same authority" in str(caught.value.result.errors[0])


# Queries per 500-row batch: the insert, the update that sets the groups, and at most one
# lookup of registered credit codes (one per 1,000 codes).
PER_BATCH = 3


def count_queries(content: bytes) -> tuple[int, ImportOutcome]:
    parsed = read_import_file(content, name="bulk.csv")
    with CaptureQueriesContext(connection) as ctx:
        outcome = enterprises_import(parsed=parsed, actor=None, ip_address=None)
    return len(ctx.captured_queries), outcome


# SQLite caps a statement at 999 parameters, so its batches are smaller than 500 rows.
@pytest.mark.postgres
def test_import_queries_grow_per_batch_not_per_row(world: World) -> None:
    small, outcome = count_queries(csv_bytes(good_rows(500, start=1)))
    assert outcome.created == 500
    large, outcome = count_queries(csv_bytes(good_rows(1500, start=10_000)))
    assert outcome.created == 1500
    assert large - small <= 2 * PER_BATCH, (small, large)
    assert large <= 25, large  # nowhere near one per row

    # Updates: the same 1,500 enterprises renamed.
    renamed = [[*r[:1], r[1] + "(新)", *r[2:]] for r in good_rows(1500, start=10_000)]
    updated, outcome = count_queries(csv_bytes(renamed))
    assert outcome.updated == 1500
    assert updated <= 25, updated


def test_header_is_english_or_chinese_not_required_in_order(world: World) -> None:
    order = [5, 3, 0, 1, 4, 2, 7, 6]
    header = [HEADER_EN[i] for i in order]
    r = row(code(1))
    outcome = run_import(csv_bytes([[r[i] for i in order]], header=header))
    assert outcome.created == 1


def test_credit_code_stored_as_a_number_in_excel_gets_a_hint(world: World) -> None:
    numeric = 911100001000079554  # a valid all-digit code, rounded by Excel's float
    content = xlsx_file([[float(numeric), "测试", "", "SASAC", "commercial_1", "C", "", ""]])
    text = refused(content, name="numbers.xlsx")
    assert "line 2, column credit_code" in text
    assert "format the column as text" in text
