import hashlib
from collections.abc import Iterator
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        # Email addresses are compared without regard to case: people type them both ways.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. What they may see comes from their memberships (enterprises app);
    administrators are staff."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=Language.choices,
        default=Language.ZH_HANS,
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("Administrators manage users, authorities, enterprises and campaigns."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Raised to end every session of this user at once (deactivation, an MFA reset).
    session_epoch = models.PositiveIntegerField(_("session generation"), default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    # Ending a user's sessions. Django already stores an HMAC of the password hash in each
    # session and compares it on every request (AuthenticationMiddleware → get_user), flushing
    # the session on a mismatch: that is how a password change logs out other browsers. Folding
    # ``session_epoch`` into that hash lets one UPDATE end all of a user's sessions, on every
    # session backend, with no table of session keys to keep in step with cycle_key() and no
    # extra query or middleware. It is stronger than relying on is_active alone: a session of a
    # deactivated user stays dead even after the account is reactivated. At epoch 0 the hash is
    # Django's own, so existing sessions survive the deployment of this change. The rows left
    # behind are flushed on their next request or removed by `clearsessions` once idle.
    def get_session_auth_hash(self) -> str:
        return self._with_epoch(super().get_session_auth_hash())

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback in super().get_session_auth_fallback_hash():
            yield self._with_epoch(fallback)

    def _with_epoch(self, password_hash: str) -> str:
        if not self.session_epoch:
            return password_hash
        # The input is already a keyed HMAC; a plain digest keeps SECRET_KEY_FALLBACKS working.
        return hashlib.sha256(f"{password_hash}:{self.session_epoch}".encode()).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    @property
    def is_administrator(self) -> bool:
        return bool(self.is_active and self.is_staff)


def supported_language(code: str | None) -> str:
    codes = {c for c, _name in settings.LANGUAGES}
    return code if code in codes else settings.LANGUAGE_CODE
