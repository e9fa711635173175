"""Each step of a nomination through the services, each refusal, and the audit rows."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.filings.models import Filing
from apps.filings.services import IllegalTransition, NotAllowed
from apps.nominations import services
from apps.nominations.models import Nomination, NominationScore, Objection
from apps.nominations.workflow import MIN_SCORES
from apps.stages.models import Designation
from apps.timeline.models import local_today
from tests.conftest import World
from tests.nominations.conftest import (
    end_notice,
    in_notice,
    nominate_model,
    propose,
    publish,
    score_twice,
)

pytestmark = pytest.mark.django_db


def actions(nomination: Nomination) -> list[str]:
    return list(
        AuditEvent.objects.for_target(nomination)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


# --- Nominating ------------------------------------------------------------------------------


def test_a_reviewer_nominates_the_enterprise(approved_report: Filing, world: World) -> None:
    nomination = nominate_model(approved_report, world)
    assert (nomination.enterprise, nomination.authority, nomination.filing) == (
        world.central,
        world.sasac,
        approved_report,
    )
    assert (nomination.kind, nomination.case_id, nomination.title) == (
        "model_enterprise",
        "",
        "中国测试能源集团有限公司",
    )
    # The industry defaults to the enterprise's (the factory's "C").
    assert (nomination.industry, nomination.field) == ("C", "efficiency")
    assert (nomination.source, nomination.status) == ("authority", "nominated")
    event = AuditEvent.objects.get(action="nominations.nominate")
    assert event.actor == world.sasac_reviewer
    assert event.data == {
        "filing": approved_report.pk,
        "kind": "model_enterprise",
        "case_id": "",
        "title": "中国测试能源集团有限公司",
        "industry": "C",
        "field": "efficiency",
    }


def test_a_case_takes_its_title_and_action_area(approved_report: Filing, world: World) -> None:
    nomination = services.nomination_nominate(
        filing=approved_report,
        kind="benchmark_project",
        case_id="case2",
        industry="I",
        actor=world.sasac_lead_reviewer,
    )
    assert (nomination.title, nomination.field, nomination.industry) == (
        "数字化转型平台",
        "innovation",
        "I",
    )
    other = services.nomination_nominate(
        filing=approved_report,
        kind="benchmark_project",
        case_id="case1",
        field="governance",
        actor=world.sasac_reviewer,
    )
    assert (other.title, other.field) == ("司库体系建设", "governance")


def test_an_unknown_case_or_a_model_without_area_is_refused(
    approved_report: Filing, world: World
) -> None:
    with pytest.raises(ValidationError) as unknown:
        services.nomination_nominate(
            filing=approved_report,
            kind="benchmark_project",
            case_id="nope",
            actor=world.sasac_reviewer,
        )
    assert "case_id" in unknown.value.message_dict
    with pytest.raises(ValidationError) as no_area:
        services.nomination_nominate(
            filing=approved_report, kind="model_enterprise", actor=world.sasac_reviewer
        )
    assert "field" in no_area.value.message_dict
    assert not Nomination.objects.exists()


def test_the_enterprise_applies_with_a_case_summary(approved_report: Filing, world: World) -> None:
    with pytest.raises(ValidationError) as missing:
        services.nomination_apply(
            filing=approved_report,
            kind="benchmark_project",
            case_id="case1",
            case_summary="  ",
            actor=world.lead,
        )
    assert "case_summary" in missing.value.message_dict
    nomination = services.nomination_apply(
        filing=approved_report,
        kind="benchmark_project",
        case_id="case1",
        case_summary="资金集中度提升至96%。",
        actor=world.lead,
    )
    assert (nomination.source, nomination.case_summary) == ("application", "资金集中度提升至96%。")
    assert actions(nomination) == ["nominations.apply"]


@pytest.mark.parametrize("who", ["editor", "sasac_reviewer", "other_lead", "bj_lead", "admin"])
def test_only_the_filing_officer_applies(approved_report: Filing, world: World, who: str) -> None:
    with pytest.raises(NotAllowed):
        services.nomination_apply(
            filing=approved_report,
            kind="model_enterprise",
            field="efficiency",
            case_summary="摘要。",
            actor=getattr(world, who),
        )


@pytest.mark.parametrize("who", ["lead", "editor", "bj_reviewer", "gd_reviewer", "admin"])
def test_only_the_authoritys_reviewers_nominate(
    approved_report: Filing, world: World, who: str
) -> None:
    with pytest.raises(NotAllowed):
        services.nomination_nominate(
            filing=approved_report,
            kind="model_enterprise",
            field="efficiency",
            actor=getattr(world, who),
        )
    assert not Nomination.objects.exists()


def test_not_before_the_report_is_filed(submitted_report: Filing, world: World) -> None:
    with pytest.raises(IllegalTransition):
        nominate_model(submitted_report, world)


def test_the_same_thing_is_not_nominated_twice_at_once(
    approved_report: Filing, world: World
) -> None:
    first = nominate_model(approved_report, world)
    with pytest.raises(IllegalTransition):
        nominate_model(approved_report, world)
    with pytest.raises(IllegalTransition):  # nor applied for
        services.nomination_apply(
            filing=approved_report,
            kind="model_enterprise",
            field="efficiency",
            case_summary="摘要。",
            actor=world.lead,
        )
    services.nomination_reject(
        nomination=first, reason="材料不足。", actor=world.sasac_lead_reviewer
    )
    again = nominate_model(approved_report, world)  # closed: it may be nominated again
    assert again.pk != first.pk


# --- Scoring and proposing -------------------------------------------------------------------


def test_reviewers_score_and_change_their_score(
    approved_report: Filing, world: World, second_reviewer: User
) -> None:
    nomination = nominate_model(approved_report, world)
    services.nomination_score(nomination=nomination, score=70, actor=world.sasac_reviewer)
    services.nomination_score(
        nomination=nomination, score=85, comment="改进明显。", actor=world.sasac_reviewer
    )
    services.nomination_score(nomination=nomination, score=100, actor=second_reviewer)
    rows = NominationScore.objects.filter(nomination=nomination).order_by("score")
    assert [(r.reviewer, r.score, r.comment) for r in rows] == [
        (world.sasac_reviewer, 85, "改进明显。"),
        (second_reviewer, 100, ""),
    ]
    scores = AuditEvent.objects.filter(action="nominations.score").order_by("id")
    assert [e.data["score"] for e in scores] == [70, [70, 85], 100]


@pytest.mark.parametrize("value", [-1, 101])
def test_a_score_is_0_to_100(approved_report: Filing, world: World, value: int) -> None:
    nomination = nominate_model(approved_report, world)
    with pytest.raises(ValidationError):
        services.nomination_score(nomination=nomination, score=value, actor=world.sasac_reviewer)
    assert not NominationScore.objects.exists()


@pytest.mark.parametrize("who", ["lead", "editor", "bj_reviewer", "admin"])
def test_outsiders_do_not_score(approved_report: Filing, world: World, who: str) -> None:
    nomination = nominate_model(approved_report, world)
    with pytest.raises(NotAllowed):
        services.nomination_score(nomination=nomination, score=90, actor=getattr(world, who))


def test_proposing_needs_two_scores(
    approved_report: Filing, world: World, second_reviewer: User
) -> None:
    assert MIN_SCORES == 2
    nomination = nominate_model(approved_report, world)
    services.nomination_score(nomination=nomination, score=80, actor=world.sasac_reviewer)
    with pytest.raises(IllegalTransition):
        propose(nomination, world)
    nomination.refresh_from_db()
    assert nomination.status == "nominated"
    services.nomination_score(nomination=nomination, score=91, actor=second_reviewer)
    proposed = propose(nomination, world)
    assert proposed.status == "proposed" and proposed.proposed_by == world.sasac_lead_reviewer
    event = AuditEvent.objects.get(action="nominations.propose")
    # No case summary: nothing to publish, whatever was ticked.
    assert event.data == {"publish_summary": False, "scores": 2, "mean": 85.5}
    with pytest.raises(IllegalTransition):  # scores are frozen once proposed
        services.nomination_score(nomination=nomination, score=10, actor=world.sasac_reviewer)


def test_the_summary_is_published_only_when_the_lead_approves(
    approved_report: Filing, world: World, second_reviewer: User
) -> None:
    shown = services.nomination_apply(
        filing=approved_report,
        kind="benchmark_project",
        case_id="case1",
        case_summary="资金集中度提升至96%。",
        actor=world.lead,
    )
    hidden = services.nomination_nominate(
        filing=approved_report,
        kind="benchmark_project",
        case_id="case2",
        case_summary="核心业务系统全部上云。",
        actor=world.sasac_reviewer,
    )
    for nomination, publish_it in ((shown, True), (hidden, False)):
        score_twice(nomination, world, second_reviewer)
        propose(nomination, world, publish_summary=publish_it)
        nomination.refresh_from_db()
    assert (shown.publish_summary, shown.published_summary) == (True, "资金集中度提升至96%。")
    assert (hidden.publish_summary, hidden.published_summary) == (False, "")


def test_only_the_lead_reviewer_proposes_or_declines(
    approved_report: Filing, world: World, second_reviewer: User
) -> None:
    nomination = nominate_model(approved_report, world)
    score_twice(nomination, world, second_reviewer)
    with pytest.raises(NotAllowed):
        services.nomination_propose(
            nomination=nomination, publish_summary=False, actor=world.sasac_reviewer
        )
    with pytest.raises(NotAllowed):
        services.nomination_reject(nomination=nomination, reason="否。", actor=second_reviewer)


def test_declining_needs_a_reason(approved_report: Filing, world: World) -> None:
    nomination = nominate_model(approved_report, world)
    with pytest.raises(ValidationError):
        services.nomination_reject(
            nomination=nomination, reason=" ", actor=world.sasac_lead_reviewer
        )
    services.nomination_reject(
        nomination=nomination, reason="案例代表性不足。", actor=world.sasac_lead_reviewer
    )
    nomination.refresh_from_db()
    assert (nomination.status, nomination.rejection_reason) == ("rejected", "案例代表性不足。")
    assert actions(nomination) == ["nominations.nominate", "nominations.reject"]


# --- The public notice -----------------------------------------------------------------------


def test_publishing_a_notice(approved_report: Filing, world: World, second_reviewer: User) -> None:
    nomination = nominate_model(approved_report, world)
    score_twice(nomination, world, second_reviewer)
    propose(nomination, world)
    notice = publish(world, nomination)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.notice) == ("in_notice", notice)
    today = local_today()
    assert (notice.starts_on, notice.ends_on) == (today, today + dt.timedelta(days=5))
    event = AuditEvent.objects.get(action="notice.publish")
    assert event.data == {
        "title": "2025年价值创造示范企业公示",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=5)).isoformat(),
        "nominations": [nomination.pk],
    }
    assert actions(nomination)[-1] == "nominations.in_notice"


def test_a_notice_lists_only_proposals(approved_report: Filing, world: World) -> None:
    nomination = nominate_model(approved_report, world)  # not proposed
    with pytest.raises(IllegalTransition):
        publish(world, nomination)
    nomination.refresh_from_db()
    assert nomination.status == "nominated" and nomination.notice is None


@pytest.mark.parametrize(
    ("starts", "ends", "field"),
    [(-1, 5, "starts_on"), (0, 0, "ends_on"), (3, 2, "ends_on")],
)
def test_notice_dates(
    approved_report: Filing,
    world: World,
    second_reviewer: User,
    starts: int,
    ends: int,
    field: str,
) -> None:
    nomination = nominate_model(approved_report, world)
    score_twice(nomination, world, second_reviewer)
    propose(nomination, world)
    today = local_today()
    with pytest.raises(ValidationError) as refused:
        services.notice_publish(
            authority=world.sasac,
            title="公示",
            starts_on=today + dt.timedelta(days=starts),
            ends_on=today + dt.timedelta(days=ends),
            nominations=[nomination],
            actor=world.sasac_lead_reviewer,
        )
    assert field in refused.value.message_dict


def test_only_the_lead_reviewer_publishes_and_only_their_own(
    approved_report: Filing, world: World, second_reviewer: User, bj_lead_reviewer: User
) -> None:
    nomination = nominate_model(approved_report, world)
    score_twice(nomination, world, second_reviewer)
    propose(nomination, world)
    today = local_today()
    arguments: dict[str, Any] = {
        "title": "公示",
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=5),
        "nominations": [nomination],
    }
    with pytest.raises(NotAllowed):
        services.notice_publish(authority=world.sasac, actor=world.sasac_reviewer, **arguments)
    with pytest.raises(NotAllowed):  # Beijing's lead cannot list SASAC's proposal
        services.notice_publish(authority=world.beijing, actor=bj_lead_reviewer, **arguments)
    nomination.refresh_from_db()
    assert nomination.status == "proposed"


# --- Objections and designation --------------------------------------------------------------


def test_designating_after_the_notice_has_ended(
    approved_report: Filing, world: World, second_reviewer: User
) -> None:
    nomination, notice = in_notice(approved_report, world, second_reviewer)
    with pytest.raises(IllegalTransition):  # still running
        services.nomination_designate(nomination=nomination, actor=world.sasac_lead_reviewer)
    # On its last day it still runs.
    notice.__class__.objects.filter(pk=notice.pk).update(
        starts_on=local_today() - dt.timedelta(days=3), ends_on=local_today()
    )
    with pytest.raises(IllegalTransition):
        services.nomination_designate(nomination=nomination, actor=world.sasac_lead_reviewer)
    assert not Designation.objects.exists()
    end_notice(notice)
    designation = services.nomination_designate(
        nomination=nomination, actor=world.sasac_lead_reviewer
    )
    nomination.refresh_from_db()
    assert (nomination.status, nomination.designation) == ("designated", designation)
    assert (designation.kind, designation.enterprise, designation.authority) == (
        "model_enterprise",
        world.central,
        world.sasac,
    )
    assert designation.title == "中国测试能源集团有限公司"
    assert designation.year == local_today().year and designation.is_active
    assert actions(nomination) == [
        "nominations.nominate",
        "nominations.score",
        "nominations.score",
        "nominations.propose",
        "nominations.in_notice",
        "nominations.designate",
    ]
    made = AuditEvent.objects.for_target(designation).get()
    assert made.action == "stages.designate" and made.data["nomination"] == nomination.pk
    with pytest.raises(IllegalTransition):  # designated once
        services.nomination_designate(nomination=nomination, actor=world.sasac_lead_reviewer)


@pytest.mark.parametrize("who", ["sasac_reviewer", "editor", "lead", "bj_reviewer", "admin"])
def test_only_the_lead_reviewer_designates(
    approved_report: Filing, world: World, second_reviewer: User, who: str
) -> None:
    nomination, notice = in_notice(approved_report, world, second_reviewer)
    end_notice(notice)
    with pytest.raises(NotAllowed):
        services.nomination_designate(nomination=nomination, actor=getattr(world, who))
    with pytest.raises(NotAllowed):
        services.notice_designate(notice=notice, actor=getattr(world, who))
    assert not Designation.objects.exists()


def test_another_authoritys_lead_reviewer_is_refused(
    approved_report: Filing, world: World, second_reviewer: User, bj_lead_reviewer: User
) -> None:
    nomination, notice = in_notice(approved_report, world, second_reviewer)
    end_notice(notice)
    with pytest.raises(NotAllowed):
        services.nomination_designate(nomination=nomination, actor=bj_lead_reviewer)
    with pytest.raises(NotAllowed):
        services.notice_designate(notice=notice, actor=bj_lead_reviewer)
    assert not Designation.objects.exists()


def record(nomination: Nomination, world: World, text: str = "该企业存在安全事故。") -> Objection:
    return services.objection_record(
        nomination=nomination, text=text, received_on=local_today(), actor=world.sasac_reviewer
    )


def test_an_open_objection_holds_the_designation(
    approved_report: Filing, world: World, second_reviewer: User
) -> None:
    nomination, notice = in_notice(approved_report, world, second_reviewer)
    objection = record(nomination, world)
    end_notice(notice)
    with pytest.raises(IllegalTransition):
        services.nomination_designate(nomination=nomination, actor=world.sasac_lead_reviewer)
    designated, held = services.notice_designate(notice=notice, actor=world.sasac_lead_reviewer)
    assert (designated, [n.pk for n in held]) == ([], [nomination.pk])
    assert not Designation.objects.exists()
    services.objection_resolve(
        objection=objection,
        resolution="dismissed",
        reason="经核实，事故发生在评估期之外。",
        actor=world.sasac_lead_reviewer,
    )
    designated, held = services.notice_designate(notice=notice, actor=world.sasac_lead_reviewer)
    assert len(designated) == 1 and held == []
    assert Designation.objects.active().get().enterprise == world.central
    assert "nominations.objection_dismissed" in actions(nomination)


def test_an_upheld_objection_withdraws_the_nomination(
    approved_report: Filing, world: World, second_reviewer: User
) -> None:
    nomination, notice = in_notice(approved_report, world, second_reviewer)
    objection = record(nomination, world)
    services.objection_resolve(
        objection=objection,
        resolution="upheld",
        reason="情况属实。",
        actor=world.sasac_lead_reviewer,
    )
    nomination.refresh_from_db()
    objection.refresh_from_db()
    assert nomination.status == "withdrawn"
    assert (objection.resolution, objection.resolved_by) == ("upheld", world.sasac_lead_reviewer)
    end_notice(notice)
    with pytest.raises(IllegalTransition):
        services.nomination_designate(nomination=nomination, actor=world.sasac_lead_reviewer)
    assert services.notice_designate(notice=notice, actor=world.sasac_lead_reviewer) == ([], [])
    assert not Designation.objects.exists()
    assert actions(nomination)[-2:] == ["nominations.objection", "nominations.objection_upheld"]
    with pytest.raises(IllegalTransition):  # resolved once
        services.objection_resolve(
            objection=objection,
            resolution="dismissed",
            reason="改判。",
            actor=world.sasac_lead_reviewer,
        )


def test_objection_rules(approved_report: Filing, world: World, second_reviewer: User) -> None:
    nomination, _notice = in_notice(approved_report, world, second_reviewer)
    for received_on in (local_today() + dt.timedelta(days=1), local_today() - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:  # in the future; before the notice
            services.objection_record(
                nomination=nomination,
                text="异议。",
                received_on=received_on,
                actor=world.sasac_reviewer,
            )
        assert "received_on" in refused.value.message_dict
    with pytest.raises(NotAllowed):  # a reviewer of another authority
        services.objection_record(
            nomination=nomination, text="异议。", received_on=local_today(), actor=world.bj_reviewer
        )
    objection = record(nomination, world)
    with pytest.raises(NotAllowed):  # a reviewer records; only the lead resolves
        services.objection_resolve(
            objection=objection, resolution="upheld", reason="属实。", actor=world.sasac_reviewer
        )
    with pytest.raises(ValidationError):  # a reason is required
        services.objection_resolve(
            objection=objection, resolution="upheld", reason="", actor=world.sasac_lead_reviewer
        )
    objection.refresh_from_db()
    assert objection.is_open


def test_no_objection_before_the_notice(approved_report: Filing, world: World) -> None:
    nomination = nominate_model(approved_report, world)
    with pytest.raises(IllegalTransition):
        record(nomination, world)
