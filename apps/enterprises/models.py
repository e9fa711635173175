import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import in_language
from apps.enterprises.creditcode import validate_credit_code

# Legal-form endings dropped for an enterprise's short name (it has no short-name field):
# longest first, so that "股份有限公司" goes whole.
LEGAL_FORM_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")
SHORT_NAME_MAX = 30


def short_legal_name(name: str) -> str:
    """A short form of an enterprise's (Chinese, legal) name, for file names: without its
    legal-form ending, at most SHORT_NAME_MAX characters. 中国测试能源集团有限公司 →
    中国测试能源集团."""
    name = name.strip()
    for suffix in LEGAL_FORM_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return name[:SHORT_NAME_MAX]


if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User


class BilingualNameMixin:
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        """The name in the active language, falling back to Chinese (the legal name)."""
        return in_language(self.name_zh, self.name_en)


class AuthorityKind(models.TextChoices):
    CENTRAL = "central", _("State Council SASAC")
    PROVINCIAL = "provincial", _("Provincial-level commission")
    CITY = "city", _("Commission of a city with independent planning status")
    CORPS = "corps", _("Xinjiang Production and Construction Corps commission")
    # Below a provincial commission: a city's own commission (GB/T 2260 six-digit code, e.g.
    # 440100 Guangzhou under 44 Guangdong). Not to be confused with CITY, the five cities
    # with independent planning status, which answer to no province.
    PREFECTURE = "prefecture", _("Prefecture-level city commission")


# A prefecture-level code: province (2 digits), city (01-99), county 00.
PREFECTURE_CODE_REGEX = r"^[1-9][0-9](0[1-9]|[1-9][0-9])00$"


class FunctionalCategory(models.TextChoices):
    COMMERCIAL_1 = "commercial_1", _("Commercial I (competitive)")
    COMMERCIAL_2 = "commercial_2", _("Commercial II (strategic and key sectors)")
    PUBLIC_WELFARE = "public_welfare", _("Public welfare")


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, heat, gas and water production and supply")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail trade")
    G = "G", _("G Transport, storage and postal services")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information transmission, software and IT services")  # noqa: E741
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Scientific research and technical services")
    N = "N", _("N Water, environment and public facilities management")
    O = "O", _("O Resident, repair and other services")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration, social security and social organisations")
    T = "T", _("T International organisations")


class Role(models.TextChoices):
    EDITOR = "editor", _("Enterprise editor")
    LEAD = "lead", _("Filing officer")
    REVIEWER = "reviewer", _("Reviewer")
    LEAD_REVIEWER = "lead_reviewer", _("Lead reviewer")
    # Held in a group headquarters: they review what its subsidiaries file to the group.
    GROUP_REVIEWER = "group_reviewer", _("Group reviewer")
    GROUP_LEAD_REVIEWER = "group_lead_reviewer", _("Group lead reviewer")


ENTERPRISE_ROLES = (Role.EDITOR, Role.LEAD)
AUTHORITY_ROLES = (Role.REVIEWER, Role.LEAD_REVIEWER)
GROUP_ROLES = (Role.GROUP_REVIEWER, Role.GROUP_LEAD_REVIEWER)
# A group role reviews as its authority counterpart does, inside the group.
GROUP_ROLE_REVIEWS_AS = {
    Role.GROUP_REVIEWER: Role.REVIEWER,
    Role.GROUP_LEAD_REVIEWER: Role.LEAD_REVIEWER,
}


class AuthorityQuerySet(models.QuerySet["Authority"]):
    def for_user(self, user: "User | AnonymousUser") -> "AuthorityQuerySet":
        """The authorities whose work this user may see: their own, or all for an admin."""
        from apps.enterprises.scopes import scope_for

        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        return self.filter(pk__in=list(scope.authority_roles))


class Authority(BilingualNameMixin, models.Model):
    """A supervising state-assets commission: SASAC, 31 provincial, 5 city, the Corps, and
    the prefecture-level city commissions under a province (one level: a city commission's
    parent is a provincial commission, which has none)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=AuthorityKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("provincial commission"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("For a prefecture-level city commission: the province it belongs to."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervising authority")
        verbose_name_plural = _("supervising authorities")
        ordering = ["sort_order", "code"]
        constraints = [
            # A city commission, and only it, sits under another commission. That it is a
            # provincial one (a row of another kind) is checked by clean(): a check
            # constraint sees one row.
            models.CheckConstraint(
                condition=Q(kind="prefecture", parent__isnull=False)
                | (~Q(kind="prefecture") & Q(parent__isnull=True)),
                name="authority_parent_iff_prefecture",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="authority_not_own_parent"
            ),
            models.CheckConstraint(
                condition=~Q(kind="prefecture") | Q(code__regex=PREFECTURE_CODE_REGEX),
                name="authority_prefecture_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:authority_detail", kwargs={"code": self.code})

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        self.code = (self.code or "").strip().upper()
        if self.kind != AuthorityKind.PREFECTURE:
            if self.parent_id is not None:
                raise ValidationError(
                    {
                        "parent": _(
                            "Only a prefecture-level city commission sits under another "
                            "commission; this kind has none."
                        )
                    }
                )
            if (
                self.pk
                and self.kind != AuthorityKind.PROVINCIAL
                and Authority.objects.filter(parent_id=self.pk).exists()
            ):
                raise ValidationError(
                    {
                        "kind": _(
                            "City commissions sit under this commission: it stays a "
                            "provincial-level commission while they do."
                        )
                    }
                )
            return
        if not re.fullmatch(PREFECTURE_CODE_REGEX, self.code):
            raise ValidationError(
                {
                    "code": _(
                        "A prefecture-level city commission has its city's six-digit GB/T 2260 "
                        "code, ending in 00 (for example 440100 for Guangzhou)."
                    )
                }
            )
        parent = self.parent if self.parent_id is not None else None
        if parent is None:
            raise ValidationError(
                {"parent": _("Choose the provincial commission this city commission is under.")}
            )
        if self.pk is not None and parent.pk == self.pk:
            raise ValidationError({"parent": _("A commission cannot be under itself.")})
        if parent.kind != AuthorityKind.PROVINCIAL or parent.parent_id is not None:
            # One level only: this also rules out any cycle.
            raise ValidationError(
                {"parent": _("A city commission is under a provincial-level commission.")}
            )
        if not self.code.startswith(parent.code):
            raise ValidationError(
                {
                    "code": _(
                        "The code %(code)s is not in %(province)s: a city's GB/T 2260 code "
                        "begins with its province's (%(prefix)s)."
                    )
                    % {"code": self.code, "province": parent.name, "prefix": parent.code}
                }
            )
        planned = Authority.objects.filter(kind=AuthorityKind.CITY, code=self.code[:4]).first()
        if planned is not None:
            raise ValidationError(
                {
                    "code": _(
                        "This city has independent planning status: its commission, "
                        "%(commission)s, answers to no province."
                    )
                    % {"commission": planned.name}
                }
            )


MAX_GROUP_DEPTH = 10


class EnterpriseQuerySet(models.QuerySet["Enterprise"]):
    def for_user(self, user: "User | AnonymousUser") -> "EnterpriseQuerySet":
        """Enterprises this user may see: those they belong to, those supervised by an
        authority they review for, a group they review for and its subsidiaries (three tiers
        down), or all for an administrator."""
        from apps.enterprises.scopes import scope_for

        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        groups = list(scope.group_roles)
        in_group = (
            Q(pk__in=groups)
            | Q(parent_id__in=groups)
            | Q(parent__parent_id__in=groups)
            | Q(parent__parent__parent_id__in=groups)
        )
        return self.filter(
            Q(pk__in=list(scope.enterprise_roles))
            | Q(authority_id__in=list(scope.authority_roles))
            | (in_group if groups else Q(pk__in=[]))
        )

    def active(self) -> "EnterpriseQuerySet":
        return self.filter(is_active=True)

    def groups(self) -> "EnterpriseQuerySet":
        return self.filter(parent__isnull=True)


class Enterprise(BilingualNameMixin, models.Model):
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("supervising authority"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    category = models.CharField(
        _("functional category"), max_length=20, choices=FunctionalCategory.choices
    )
    industry = models.CharField(_("industry section"), max_length=1, choices=Industry.choices)
    # Set by the group's filing policy (apps.groups.services), never typed: the subsidiary
    # files its own plans and summaries to its group headquarters.
    files_to_group = models.BooleanField(_("files to its group"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("group (parent enterprise)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
    )
    listed = models.BooleanField(_("listed"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["credit_code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="enterprise_not_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-HJ-NP-RTUW-Y]{18}$"),
                name="enterprise_credit_code_alphabet",
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "credit_code"]),
            models.Index(fields=["parent"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", kwargs={"credit_code": self.credit_code})

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        self.credit_code = (self.credit_code or "").strip().upper()
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("An enterprise cannot be its own group.")})
            parent = self.parent
            if parent is not None and parent.authority_id != self.authority_id:
                raise ValidationError(
                    {"parent": _("A subsidiary belongs to the same authority as its group.")}
                )
            # Walk up the chain: groups are a few levels deep, so a query per level is cheap.
            seen = {self.pk}
            node = parent
            for _level in range(MAX_GROUP_DEPTH):
                if node is None:
                    break
                if node.pk in seen:
                    raise ValidationError(
                        {"parent": _("This group would contain itself: the parents form a cycle.")}
                    )
                seen.add(node.pk)
                node = node.parent
            else:
                raise ValidationError({"parent": _("The group structure is too deep.")})
        if (
            self.pk
            and self.authority_id
            and self.subsidiaries.exclude(authority_id=self.authority_id).exists()
        ):
            raise ValidationError(
                {
                    "authority": _(
                        "Its subsidiaries are under another authority; move them first, "
                        "since a subsidiary belongs to the same authority as its group."
                    )
                }
            )

    @property
    def files_for_group(self) -> bool:
        """Whether the enterprise files at all: a group headquarters files to its authority;
        a subsidiary files (to its group) only when its group requires it
        (apps.groups: by tier or by list), otherwise the group's filing covers it."""
        return self.parent_id is None or self.files_to_group


def role_matches_scope() -> Q:
    """An enterprise role names an enterprise and no authority; an authority role the
    reverse. Used as a check constraint by memberships and by invitations to them."""
    return Q(
        role__in=["editor", "lead", "group_reviewer", "group_lead_reviewer"],
        enterprise__isnull=False,
        authority__isnull=True,
    ) | Q(role__in=["reviewer", "lead_reviewer"], authority__isnull=False, enterprise__isnull=True)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, user__is_active=True)


class Membership(models.Model):
    """A user's role in one enterprise or one authority. A user may hold several; each
    grants rights only inside its own enterprise or authority."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user_id", "role"]
        constraints = [
            # An enterprise role names an enterprise and no authority; an authority role
            # the reverse. The database keeps this true whatever code writes the row.
            models.CheckConstraint(
                condition=role_matches_scope(), name="membership_role_matches_scope"
            ),
            models.UniqueConstraint(
                fields=["user", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="membership_one_role_per_enterprise",
            ),
            models.UniqueConstraint(
                fields=["user", "authority"],
                condition=Q(authority__isnull=False),
                name="membership_one_role_per_authority",
            ),
        ]

    def __str__(self) -> str:
        where: Any = self.enterprise if self.enterprise_id else self.authority
        return f"{self.user} · {self.get_role_display()} · {where}"
