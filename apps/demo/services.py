"""Demo data for `make run`: idempotent, fictional, and refused under production settings.

Every enterprise and person here is invented; the names say 示范 (demo) so that nobody
mistakes them for real filings.
"""

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Language, User
from apps.enterprises.authorities import authorities_ensure, city_commission_ensure
from apps.enterprises.creditcode import make_credit_code
from apps.enterprises.models import Authority, Enterprise, FunctionalCategory, Role
from apps.enterprises.services import membership_grant
from apps.people.mfa import TOTP_DEVICE_NAME
from apps.timeline.campaigns import CAMPAIGN_2023, campaign_ensure, demo_campaign
from apps.timeline.models import (
    AuthorityDeadline,
    Campaign,
    Deliverable,
    Extension,
    Stage,
    local_today,
)
from apps.timeline.selectors import forget_active_deliverables

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - demo only, printed and documented on purpose
DEMO_DOMAIN = "example.cn"
# Reviewers and administrators must use a second factor. So that the README logins work
# after `make run`, every demo account that needs one gets the SAME fixed, printed TOTP key:
# add it once to an authenticator app. Demo only; real keys are random and never shown twice.
DEMO_TOTP_KEY = b"demo-totp-key-2026vc".hex()  # 20 bytes, as RFC 4226 recommends
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


@dataclass(frozen=True)
class DemoEnterprise:
    slug: str
    serial: int
    region: str
    authority: str
    name_zh: str
    name_en: str
    category: str
    industry: str
    listed: bool = False
    parent: str | None = None


ENTERPRISES = [
    DemoEnterprise(
        "cde",
        1,
        "110000",
        "SASAC",
        "中国示范能源集团有限公司",
        "China Demo Energy Group Co., Ltd.",
        FunctionalCategory.COMMERCIAL_2,
        "D",
        True,
    ),
    DemoEnterprise(
        "cdm",
        2,
        "110000",
        "SASAC",
        "中国示范装备制造集团有限公司",
        "China Demo Equipment Manufacturing Group Co., Ltd.",
        FunctionalCategory.COMMERCIAL_1,
        "C",
    ),
    DemoEnterprise(
        "cdi",
        3,
        "110000",
        "SASAC",
        "中国示范信息科技集团有限公司",
        "China Demo Information Technology Group Co., Ltd.",
        FunctionalCategory.COMMERCIAL_1,
        "I",
        True,
    ),
    DemoEnterprise(
        "cde-grid",
        4,
        "110000",
        "SASAC",
        "中国示范能源集团电网有限公司",
        "China Demo Energy Grid Co., Ltd.",
        FunctionalCategory.COMMERCIAL_2,
        "D",
        parent="cde",
    ),
    DemoEnterprise(
        "bjuc",
        11,
        "110000",
        "11",
        "北京示范城市建设集团有限责任公司",
        "Beijing Demo Urban Construction Group Co., Ltd.",
        FunctionalCategory.COMMERCIAL_2,
        "E",
    ),
    DemoEnterprise(
        "bjfd",
        12,
        "110000",
        "11",
        "北京示范食品集团有限公司",
        "Beijing Demo Food Group Co., Ltd.",
        FunctionalCategory.COMMERCIAL_1,
        "C",
    ),
    DemoEnterprise(
        "gdtr",
        21,
        "440000",
        "44",
        "广东示范交通集团有限公司",
        "Guangdong Demo Transport Group Co., Ltd.",
        FunctionalCategory.COMMERCIAL_2,
        "G",
    ),
    DemoEnterprise(
        "gdwt",
        22,
        "440000",
        "44",
        "广东示范水务环境集团有限公司",
        "Guangdong Demo Water and Environment Group Co., Ltd.",
        FunctionalCategory.PUBLIC_WELFARE,
        "N",
    ),
    DemoEnterprise(
        "szic",
        31,
        "440300",
        "4403",
        "深圳示范投资控股有限公司",
        "Shenzhen Demo Investment Holdings Co., Ltd.",
        FunctionalCategory.COMMERCIAL_1,
        "L",
        True,
    ),
    DemoEnterprise(
        "gzmt",
        41,
        "440100",
        "440100",
        "广州示范地铁集团有限公司",
        "Guangzhou Demo Metro Group Co., Ltd.",
        FunctionalCategory.COMMERCIAL_2,
        "G",
    ),
]

# City commissions under a province, beyond the 38 of the seed: (code, Chinese name,
# English name, province code). Guangzhou's is real; so that the province's dashboard has a
# city to roll up.
DEMO_CITY_COMMISSIONS = [
    ("440100", "广州市国资委", "Guangzhou SASAC", "44"),
]

# (authority code, e-mail prefix, Chinese name of the commission for the display names)
AUTHORITY_STAFF = [
    ("SASAC", "sasac", "国务院国资委"),
    ("11", "bj", "北京市国资委"),
    ("44", "gd", "广东省国资委"),
    ("4403", "sz", "深圳市国资委"),
    ("440100", "gz", "广州市国资委"),
]


def demo_credit_code(entry: DemoEnterprise) -> str:
    return make_credit_code(f"91{entry.region}{entry.serial:09d}")


def _user(
    email: str, full_name: str, *, language: str = Language.ZH_HANS, staff: bool = False
) -> User:
    user, _created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "preferred_language": language, "is_staff": staff},
    )
    # Reset the password every time, so a README login always works after `make run`.
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.save()
    return user


def _demo_totp_device(user: User) -> None:
    TOTPDevice.objects.filter(user=user).exclude(name=TOTP_DEVICE_NAME).delete()
    TOTPDevice.objects.update_or_create(
        user=user,
        name=TOTP_DEVICE_NAME,
        defaults={
            "key": DEMO_TOTP_KEY,
            "confirmed": True,
            "throttling_failure_count": 0,
            "throttling_failure_timestamp": None,
        },
    )


def _seed_demo_campaign(
    enterprises: dict[str, Enterprise], authorities: dict[str, Authority], admin: User
) -> None:
    """A campaign in full swing today (one summary overdue, the next due in a few days), with
    a Beijing local deadline and one extension, so a newcomer sees a living timeline. The
    2023 campaign of the notice is over by now; it stays in the database, switched off."""
    today = local_today()
    Campaign.objects.filter(code=CAMPAIGN_2023["code"]).update(is_active=False)
    campaign = campaign_ensure(
        demo_campaign(today),
        campaign_model=Campaign,
        stage_model=Stage,
        deliverable_model=Deliverable,
    )
    from apps.filings.attachment_types import attachment_types_ensure

    campaign.is_active = True
    campaign.save(update_fields=["is_active"])
    for deliverable in campaign.deliverables.all():
        attachment_types_ensure(deliverable)  # the papers each deliverable asks for
    summaries = list(campaign.deliverables.filter(kind="stage_summary").order_by("due_on"))
    overdue, upcoming = summaries[0], summaries[1]
    bj_lead = User.objects.get(email=f"bj.lead@{DEMO_DOMAIN}")
    gd_lead = User.objects.get(email=f"gd.lead@{DEMO_DOMAIN}")
    AuthorityDeadline.objects.update_or_create(
        deliverable=upcoming,
        authority=authorities["11"],
        defaults={
            "due_on": upcoming.due_on + dt.timedelta(days=3),
            "note": "北京市国资委统一安排",
            "set_by": bj_lead,
        },
    )
    Extension.objects.update_or_create(
        deliverable=overdue,
        enterprise=enterprises["gdwt"],
        defaults={
            "due_on": today + dt.timedelta(days=12),
            "granted_by": gd_lead,
            "reason": "集团重组，经审核负责人同意延期。",
        },
    )


# Which demo enterprise's plan is in which state, and the steps that bring it there.
DEMO_FILING_PATHS = {
    "cde": ("fill", "submit", "start_review", "approve", "amend"),  # amendment in progress
    "cdm": ("fill", "submit", "start_review", "approve"),
    "cdi": ("fill", "submit", "start_review"),
    "bjuc": ("fill", "submit"),
    "bjfd": ("fill", "submit", "start_review", "return"),
    "gdtr": ("fill_partly",),
    "szic": ("fill",),
    "gzmt": ("fill", "submit"),  # filed to the Guangzhou city commission
    # gdwt has not started: its plan shows as overdue
}
REVIEW_ACTIONS = {"start_review", "approve", "return"}


# Demo plans with an indicator of the enterprise's own, carried into its summaries.
CUSTOM_INDICATOR_DEMO = {"cdm"}


def _fill_plan(filing: Any, editor: User, *, partly: bool = False, custom: bool = False) -> None:
    from apps.plans.demo import demo_plan_content, plan_fill

    content = demo_plan_content(filing, seed=filing.enterprise_id, custom=custom)
    plan_fill(filing=filing, content=content, actor=editor, sections=1 if partly else None)


def _seed_demo_filings(enterprises: dict[str, Enterprise]) -> None:
    """Plans in every state, made through the real services (so events, versions and
    fingerprints are what a user would have produced)."""
    from apps.demo.submission import attach_decision_record, demo_submission
    from apps.filings.models import Filing
    from apps.filings.services import filing_start, filing_transition
    from apps.reviews.services import assignment_create, comment_add, decision_make

    campaign = Campaign.objects.get(code="DEMO")
    plan = campaign.deliverables.get(kind="plan")
    reviewers = {code: prefix for code, prefix, _name in AUTHORITY_STAFF}
    for slug, steps in DEMO_FILING_PATHS.items():
        enterprise = enterprises[slug]
        if Filing.objects.filter(enterprise=enterprise, deliverable=plan).exists():
            continue  # idempotent: a demo filing is never rewritten
        lead = User.objects.get(email=f"lead.{slug}@{DEMO_DOMAIN}")
        editor = User.objects.get(email=f"editor.{slug}@{DEMO_DOMAIN}")
        prefix = reviewers[enterprise.authority.code]
        lead_reviewer = User.objects.get(email=f"{prefix}.lead@{DEMO_DOMAIN}")
        filing = filing_start(enterprise=enterprise, deliverable=plan, actor=editor)
        for step in steps:
            if step in ("fill", "fill_partly"):
                _fill_plan(
                    filing,
                    editor,
                    partly=step == "fill_partly",
                    custom=slug in CUSTOM_INDICATOR_DEMO,
                )
                continue
            actor = lead_reviewer if step in REVIEW_ACTIONS else lead
            reason = (
                "请补充对标企业数据来源，并细化重点任务的量化成果。" if step == "return" else ""
            )
            if step in ("approve", "return"):
                # Decisions go through the review: recorded, numbered, with reasons.
                decision_make(filing=filing, outcome=step, reasons=reason, actor=actor)
                filing.refresh_from_db()
                continue
            submission = None
            if step == "submit":
                attach_decision_record(filing, editor)
                submission = demo_submission(filing)
            filing = filing_transition(
                filing=filing, action=step, actor=actor, reason=reason, submission=submission
            )
            if step == "start_review":
                reviewer = User.objects.get(email=f"{prefix}.reviewer@{DEMO_DOMAIN}")
                assignment_create(filing=filing, reviewers=[reviewer], actor=lead_reviewer)
                assert filing.latest_submitted is not None  # it was just submitted
                comment_add(
                    filing=filing, version=filing.latest_submitted, author=reviewer,
                    body="资产负债率目标与对标值差距较大，建议说明压降路径。", internal=False,
                    section="indicators", row_id="debt_to_asset",
                )  # fmt: skip


def _score_scale_ensure() -> None:
    from apps.stages.models import ScoreLevel, ScoreScale
    from apps.stages.scales import score_scale_ensure

    score_scale_ensure(ScoreScale, ScoreLevel)  # also survives a flushed database


# Stage summaries of the first period, from the approved plans: one under review, one
# approved (an amendment of cde's plan is in progress; its approved version stays in force).
DEMO_SUMMARY_PATHS = {
    "cdm": ("submit", "start_review"),
    "cde": ("submit", "start_review", "approve"),
}


def _seed_demo_stage_filings(enterprises: dict[str, Enterprise]) -> None:
    """Stage summaries prefilled from the approved plans and filled in, through the real
    services (their IndicatorResult rows are written when the submission commits)."""
    from apps.demo.submission import attach_decision_record, demo_submission
    from apps.filings.models import Filing
    from apps.filings.services import filing_start, filing_transition
    from apps.reviews.services import decision_make
    from apps.stages.demo import stage_fill

    summary = (
        Campaign.objects.get(code="DEMO")
        .deliverables.filter(kind="stage_summary")
        .order_by("due_on")
        .first()
    )
    if summary is None:
        return
    for slug, steps in DEMO_SUMMARY_PATHS.items():
        enterprise = enterprises[slug]
        if Filing.objects.filter(enterprise=enterprise, deliverable=summary).exists():
            continue  # idempotent
        lead = User.objects.get(email=f"lead.{slug}@{DEMO_DOMAIN}")
        editor = User.objects.get(email=f"editor.{slug}@{DEMO_DOMAIN}")
        lead_reviewer = User.objects.get(email=f"sasac.lead@{DEMO_DOMAIN}")
        filing = filing_start(enterprise=enterprise, deliverable=summary, actor=editor)
        stage_fill(filing=filing, actor=editor, share="0.45" if slug == "cdm" else "0.7", vary=True)
        for step in steps:
            if step == "approve":
                decision_make(filing=filing, outcome=step, reasons="", actor=lead_reviewer)
                continue
            actor = lead_reviewer if step == "start_review" else lead
            submission = None
            if step == "submit":
                attach_decision_record(filing, editor)
                submission = demo_submission(filing)
            filing = filing_transition(
                filing=filing, action=step, actor=actor, submission=submission
            )


def demo_totp_uri() -> str:
    label = quote("ValueCreation demo:reviewers and admin")
    return (
        f"otpauth://totp/{label}?secret={DEMO_TOTP_SECRET}&algorithm=SHA1&digits=6&period=30"
        f"&issuer={quote('ValueCreation demo')}"
    )


@transaction.atomic
def seed_demo() -> dict[str, int]:
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is never loaded under production settings.")
    authorities_ensure(Authority)  # survives a flushed database (transactional tests)
    for code, name_zh, name_en, province_code in DEMO_CITY_COMMISSIONS:
        city_commission_ensure(
            code=code, name_zh=name_zh, name_en=name_en, province_code=province_code
        )
    _score_scale_ensure()
    authorities = {a.code: a for a in Authority.objects.all()}
    by_slug: dict[str, Enterprise] = {}
    for entry in ENTERPRISES:
        parent = by_slug[entry.parent] if entry.parent else None
        enterprise, _created = Enterprise.objects.update_or_create(
            credit_code=demo_credit_code(entry),
            defaults={
                "name_zh": entry.name_zh,
                "name_en": entry.name_en,
                "authority": authorities[entry.authority],
                "category": entry.category,
                "industry": entry.industry,
                "listed": entry.listed,
                "parent": parent,
                "is_active": True,
                "contact_email": f"office.{entry.slug}@{DEMO_DOMAIN}",
            },
        )
        by_slug[entry.slug] = enterprise
        if parent is None:  # the group headquarters files; subsidiaries have no filing users
            lead = _user(f"lead.{entry.slug}@{DEMO_DOMAIN}", f"{entry.name_zh[:-6]}负责人")
            editor = _user(f"editor.{entry.slug}@{DEMO_DOMAIN}", f"{entry.name_zh[:-6]}填报员")
            membership_grant(user=lead, role=Role.LEAD, enterprise=enterprise)
            membership_grant(user=editor, role=Role.EDITOR, enterprise=enterprise)
    for code, prefix, name in AUTHORITY_STAFF:
        lead_reviewer = _user(f"{prefix}.lead@{DEMO_DOMAIN}", f"{name}审核负责人")
        reviewer = _user(f"{prefix}.reviewer@{DEMO_DOMAIN}", f"{name}审核员")
        membership_grant(user=lead_reviewer, role=Role.LEAD_REVIEWER, authority=authorities[code])
        membership_grant(user=reviewer, role=Role.REVIEWER, authority=authorities[code])
        _demo_totp_device(lead_reviewer)
        _demo_totp_device(reviewer)
    admin = _user(f"admin@{DEMO_DOMAIN}", "系统管理员", staff=True)
    _demo_totp_device(admin)
    _seed_demo_campaign(by_slug, authorities, admin)
    _seed_demo_filings(by_slug)
    _seed_demo_stage_filings(by_slug)
    forget_active_deliverables()
    return {
        "enterprises": len(by_slug),
        "users": User.objects.filter(email__endswith=DEMO_DOMAIN).count(),
    }


def demo_logins() -> list[tuple[str, str]]:
    """(email, what the login shows) for the command's printout and the README."""
    rows = [(f"admin@{DEMO_DOMAIN}", "administrator")]
    for code, prefix, _name in AUTHORITY_STAFF:
        rows += [
            (f"{prefix}.lead@{DEMO_DOMAIN}", f"lead reviewer, {code}"),
            (f"{prefix}.reviewer@{DEMO_DOMAIN}", f"reviewer, {code}"),
        ]
    for entry in ENTERPRISES:
        if entry.parent is None:
            rows += [
                (f"lead.{entry.slug}@{DEMO_DOMAIN}", f"enterprise lead, {entry.name_en}"),
                (f"editor.{entry.slug}@{DEMO_DOMAIN}", f"enterprise editor, {entry.name_en}"),
            ]
    return rows
