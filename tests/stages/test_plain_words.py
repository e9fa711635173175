"""No page that describes a filing's content shows a storage key to a person: the comparison,
the history, the comment form and the audit trail of a plan, a stage summary and an
assessment report, in Chinese and in English."""

import copy
import re
from typing import Any

import pytest
from django.test import Client

from apps.filings.models import Filing
from apps.filings.services import filing_save_section, filing_transition, open_draft
from apps.reviews.services import comment_add, decision_make
from apps.stages.demo import stage_fill
from tests.conftest import World, login_verified, visible_text
from tests.filings.conftest import a_submission

pytestmark = pytest.mark.django_db

# A storage key: snake_case words (key_factors, debt_to_asset, amendment_filing_id,
# world_class), a dotted path (rows.baseline) or a key with a leading underscore.
KEY_SHAPE = re.compile(r"^_?[a-z]+(?:[_.][a-z0-9]+)+$")
# Short keys that are English words: never in the Chinese interface.
ENGLISH_KEYS = ("rows", "level", "section", "field", "row", "kind", "targets", "core")


def storage_keys(*contents: dict[str, Any]) -> set[str]:
    """Every key of the content, every row id and every stored code shaped like a key."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if KEY_SHAPE.match(str(key)):
                    found.add(str(key))
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
        elif isinstance(value, str) and KEY_SHAPE.match(value):
            found.add(value)

    for content in contents:
        walk(content)
    return found


def edit(filing: Filing, world: World, change: Any) -> None:
    """Change the open draft through the editor's service: ``change(content)`` in place."""
    filing.refresh_from_db()
    draft = open_draft(filing)
    content = copy.deepcopy(draft.content)
    change(content)
    for key, data in content.items():
        if data != draft.content.get(key) and not key.startswith("_"):
            filing_save_section(
                filing=filing, section=key, data=data,
                base_revision=int(draft.revisions.get(key, 0)), actor=world.editor,
            )  # fmt: skip
            draft = open_draft(filing)


def review_and_return(filing: Filing, world: World, *, row: tuple[str, str]) -> Filing:
    filing = filing_transition(filing=filing, action="start_review", actor=world.sasac_reviewer)
    comment_add(filing=filing, version=filing.latest_submitted, author=world.sasac_reviewer,
                body="请说明这一行。", internal=False, section=row[0], row_id=row[1])  # fmt: skip
    decision_make(filing=filing, outcome="return", reasons="请修改。",
                  actor=world.sasac_lead_reviewer)  # fmt: skip
    filing.refresh_from_db()
    return filing


def change_plan(content: dict[str, Any]) -> None:
    content["diagnosis"]["key_factors"] += "资产周转明显偏慢。"
    rows = content["indicators"]["rows"]
    debt = next(r for r in rows if r["id"] == "debt_to_asset")
    debt["baseline"] = str(float(debt["baseline"]) + 1)
    first_year = sorted(debt["targets"])[0]
    debt["targets"][first_year] = "55"
    content["benchmarks"]["rows"].append(
        {"id": "b-new", "name": "示范对标企业", "country": "德国", "level": "industry_advanced",
         "source": "年报"}
    )  # fmt: skip
    tasks = content["tasks"]["rows"]
    tasks.insert(0, tasks.pop())
    tasks[1]["department"] = "改革办"


def change_report(content: dict[str, Any]) -> None:
    rows = content["indicators"]["rows"]
    if "actuals" in rows[0]:  # an assessment report: each year's actual
        year = next(iter(rows[0]["actuals"]))
        rows[0]["actuals"][year] = str(float(rows[0]["actuals"][year] or 0) + 10)
    else:
        rows[0]["actual"] = str(float(rows[0]["actual"] or 0) + 10)
    rows[2]["note"] = (rows[2].get("note") or "") + "已复核。"
    for section in ("tasks", "cases"):
        for row in (content.get(section) or {}).get("rows") or []:
            if "evidence" in row:
                row["evidence"] = (row["evidence"] or "") + "补充说明。"
            if "summary" in row:
                row["summary"] += "补充案例。"
    if "adjustments" in content:
        content["adjustments"]["text"] += "调整措施。"
    if "experience" in content:
        content["experience"]["text"] += "新的经验。"


@pytest.fixture
def amended_plan(world: World, approved_plan: Filing) -> Filing:
    """v1 filed; the amendment v2 submitted, returned with a row comment; v3 submitted."""
    filing = filing_transition(filing=approved_plan, action="amend", actor=world.lead)
    edit(filing, world, change_plan)
    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )
    filing = review_and_return(filing, world, row=("indicators", "debt_to_asset"))
    edit(filing, world, lambda c: c["assurance"].update(organisation="由董事长牵头。"))
    return filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )


def resubmitted(filing: Filing, world: World, row: tuple[str, str]) -> Filing:
    stage_fill(filing=filing, actor=world.editor)
    filing = filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )
    filing = review_and_return(filing, world, row=row)
    edit(filing, world, change_report)
    return filing_transition(
        filing=filing, action="submit", submission=a_submission(), actor=world.lead
    )


@pytest.fixture
def filings(world: World, amended_plan: Filing, summary: Filing, report: Filing) -> list[Filing]:
    task = summary.draft.content["tasks"]["rows"][0]["id"]
    summary = resubmitted(summary, world, ("tasks", task))
    report = resubmitted(report, world, ("indicators", "total_profit"))
    return [amended_plan, summary, report]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_storage_key_on_any_page_of_any_kind(
    client: Client, world: World, filings: list[Filing], language: str
) -> None:
    # A signed-in user reads the site in their own language.
    for user in (world.sasac_reviewer, world.lead, world.admin):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    for filing in filings:
        contents = [v.content for v in filing.versions.all()]
        keys = storage_keys(*contents)
        assert {"debt_to_asset", "total_profit"} & keys  # the check has keys to look for
        pages = {}
        for who in (world.sasac_reviewer, world.lead):
            login_verified(client, who)
            for name, url in (
                ("comparison", f"/filings/{filing.pk}/compare/"),
                ("comparison 1→last", f"/filings/{filing.pk}/compare/?a=1&b="
                                      f"{filing.latest_submitted.number}"),
                ("history", f"/filings/{filing.pk}/history/"),
                ("overview", f"/filings/{filing.pk}/"),
            ):  # fmt: skip
                response = client.get(url)
                assert response.status_code == 200, (who, url)
                pages[f"{name} as {who.email}"] = visible_text(response.content.decode())
        login_verified(client, world.admin)
        pages["audit trail"] = visible_text(client.get("/people/audit/").content.decode())
        for name, text in pages.items():
            shown = sorted(k for k in keys if re.search(rf"(?<![\w/]){re.escape(k)}(?![\w])", text))
            assert not shown, f"{filing.kind} {name} ({language}) shows {shown}"
            if language == "zh-hans":
                english = [k for k in ENGLISH_KEYS if re.search(rf"\b{k}\b", text)]
                assert not english, f"{filing.kind} {name} shows {english}"
        # The comparison says which indicator or task changed, in the page's language.
        comparison = pages[f"comparison as {world.sasac_reviewer.email}"]
        if filing.kind == "plan":
            name = "资产负债率" if language == "zh-hans" else "Debt-to-asset ratio"
            assert name in comparison
