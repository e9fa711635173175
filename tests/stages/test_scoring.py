"""The reviewers' assessment of an assessment report: a scale defined as data, a level per
action area and an overall rating; one per version, re-scoring updates it; audited."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.audit.models import AuditEvent
from apps.filings.models import Filing
from apps.filings.services import IllegalTransition, NotAllowed
from apps.plans.constants import ActionArea
from apps.stages.models import AreaScore, Assessment, ScoreLevel, ScoreScale
from apps.stages.services import assessment_score
from tests.conftest import World
from tests.stages.conftest import SCORES

pytestmark = pytest.mark.django_db


def levels(**overrides: str) -> dict[str, str]:
    return {a.value: SCORES[f"area-{a.value}"] for a in ActionArea} | overrides


def test_default_scale_is_seeded() -> None:
    scale = ScoreScale.objects.get(is_default=True)
    assert [(lv.code, lv.label_zh, lv.label_en) for lv in scale.levels.all()] == [
        ("excellent", "优秀", "Excellent"),
        ("good", "良好", "Good"),
        ("pass", "合格", "Pass"),
        ("fail", "不合格", "Fail"),
    ]


def test_score_and_rescore(submitted_report: Filing, world: World) -> None:
    assessment = assessment_score(
        filing=submitted_report,
        area_levels=levels(),
        overall="good",
        comment=" 良好 ",
        actor=world.sasac_reviewer,
    )
    assert assessment.overall.code == "good" and assessment.comment == "良好"
    assert assessment.version_id == submitted_report.latest_submitted_id
    assert AreaScore.objects.filter(assessment=assessment).count() == 7
    again = assessment_score(
        filing=submitted_report,
        area_levels=levels(governance="fail"),
        overall="pass",
        comment="",
        actor=world.sasac_lead_reviewer,
    )
    assert again.pk == assessment.pk and Assessment.objects.count() == 1
    assert again.overall.code == "pass" and again.scored_by == world.sasac_lead_reviewer
    assert AreaScore.objects.get(assessment=again, area="governance").level.code == "fail"
    events = AuditEvent.objects.filter(action="stages.score").order_by("id")
    assert events.count() == 2
    assert events.last().data["before"]["overall"] == "good"  # type: ignore[union-attr]


def test_a_level_added_in_the_admin_can_be_used(submitted_report: Filing, world: World) -> None:
    scale = ScoreScale.objects.get(is_default=True)
    ScoreLevel.objects.create(
        scale=scale,
        code="outstanding",
        label_zh="卓越",
        label_en="Outstanding",
        points=100,
        order=0,
    )
    assessment = assessment_score(
        filing=submitted_report,
        area_levels=levels(),
        comment="",
        overall="outstanding",
        actor=world.sasac_reviewer,
    )
    assert assessment.overall.label_zh == "卓越"


def test_every_area_must_be_scored(submitted_report: Filing, world: World) -> None:
    partial = levels()
    del partial["innovation"]
    with pytest.raises(ValidationError) as exc:
        assessment_score(
            filing=submitted_report,
            area_levels=partial,
            overall="nonsense",
            comment="",
            actor=world.sasac_reviewer,
        )
    assert set(exc.value.message_dict) == {"innovation", "overall"}
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("who", ["lead", "bj_reviewer", "gd_reviewer", "other_lead", "admin"])
def test_outsiders_cannot_score(submitted_report: Filing, world: World, who: str) -> None:
    with pytest.raises(NotAllowed):
        assessment_score(
            filing=submitted_report,
            area_levels=levels(),
            overall="good",
            comment="",
            actor=getattr(world, who),
        )


def test_a_reviewer_who_belongs_to_the_enterprise_cannot_score(
    submitted_report: Filing, world: World
) -> None:
    from apps.enterprises.models import Role
    from apps.enterprises.scopes import forget_scope
    from apps.enterprises.services import membership_grant

    membership_grant(user=world.sasac_reviewer, role=Role.EDITOR, enterprise=world.central)
    forget_scope(world.sasac_reviewer)
    with pytest.raises(NotAllowed):
        assessment_score(
            filing=submitted_report,
            area_levels=levels(),
            overall="good",
            comment="",
            actor=world.sasac_reviewer,
        )


def test_only_while_submitted_or_under_review(approved_report: Filing, world: World) -> None:
    with pytest.raises(IllegalTransition):
        assessment_score(
            filing=approved_report,
            area_levels=levels(),
            overall="good",
            comment="",
            actor=world.sasac_reviewer,
        )


def test_a_summary_is_not_scored(summary: Filing, world: World) -> None:
    with pytest.raises(NotAllowed):
        assessment_score(
            filing=summary,
            area_levels=levels(),
            overall="good",
            comment="",
            actor=world.sasac_reviewer,
        )


# --- Through the pages ---------------------------------------------------------------------


def test_reviewer_scores_through_the_panel(
    submitted_report: Filing, world: World, client_for: Any
) -> None:
    client: Client = client_for(world.sasac_reviewer)
    page = client.get(f"/filings/{submitted_report.pk}/").content.decode()
    assert 'data-testid="score-form"' in page
    response = client.post(f"/filings/{submitted_report.pk}/stages/score/", SCORES)
    assert response.status_code == 302
    page = client.get(f"/filings/{submitted_report.pk}/").content.decode()
    assert 'data-testid="assessment-overall"' in page and "总体良好。" in page
    assert Assessment.objects.get().overall.code == "good"


def test_bad_input_is_a_message(submitted_report: Filing, world: World, client_for: Any) -> None:
    client: Client = client_for(world.sasac_reviewer)
    response = client.post(
        f"/filings/{submitted_report.pk}/stages/score/", {**SCORES, "overall": ""}, follow=True
    )
    from django.utils import translation

    with translation.override(response.headers.get("Content-Language") or "zh-hans"):
        expected = translation.gettext("Choose the overall rating.")
    assert expected in response.content.decode()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("who", ["lead", "editor", "other_lead", "bj_reviewer", "gd_reviewer"])
def test_outsiders_get_404(
    submitted_report: Filing, world: World, client_for: Any, who: str
) -> None:
    client: Client = client_for(getattr(world, who))
    response = client.post(f"/filings/{submitted_report.pk}/stages/score/", SCORES)
    assert response.status_code == 404
    page = client.get(f"/filings/{submitted_report.pk}/")
    assert 'data-testid="score-form"' not in page.content.decode()
    assert not Assessment.objects.exists()


def test_the_enterprise_does_not_see_the_scores(
    submitted_report: Filing, world: World, client_for: Any
) -> None:
    assessment_score(
        filing=submitted_report,
        area_levels=levels(),
        overall="good",
        comment="内部意见",
        actor=world.sasac_reviewer,
    )
    page = client_for(world.lead).get(f"/filings/{submitted_report.pk}/").content.decode()
    assert "内部意见" not in page and 'data-testid="assessment-panel"' not in page
