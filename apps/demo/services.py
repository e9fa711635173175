"""Demo data for `make run`: idempotent, fictional, and refused under production settings.

Every enterprise and person here is invented; the names say 示范 (demo) so that nobody
mistakes them for real filings.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from apps.accounts.models import Language, User
from apps.enterprises.authorities import authorities_ensure
from apps.enterprises.creditcode import make_credit_code
from apps.enterprises.models import Authority, Enterprise, FunctionalCategory, Role
from apps.enterprises.services import membership_grant

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - demo only, printed and documented on purpose
DEMO_DOMAIN = "example.cn"


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
]

# (authority code, e-mail prefix, Chinese name of the commission for the display names)
AUTHORITY_STAFF = [
    ("SASAC", "sasac", "国务院国资委"),
    ("11", "bj", "北京市国资委"),
    ("44", "gd", "广东省国资委"),
    ("4403", "sz", "深圳市国资委"),
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


@transaction.atomic
def seed_demo() -> dict[str, int]:
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is never loaded under production settings.")
    authorities_ensure(Authority)  # survives a flushed database (transactional tests)
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
    _user(f"admin@{DEMO_DOMAIN}", "系统管理员", staff=True)
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
