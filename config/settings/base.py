"""Settings shared by every environment.

Values come from the environment through django-environ; a malformed value fails at start-up,
never at request time.
"""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

# Lets admin and form classes be subscripted for type checking (ModelAdmin[Model]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; absent in production, never committed

# --- Core ---------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=[])
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_NAME = "价值创造行动备案系统 · Value Creation Filing"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"].setdefault("TEST", {})
DB_IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # ours, in import order (each may import only from those above it)
    "apps.core",
    "apps.accounts",
    "apps.audit",
    "apps.enterprises",
    "apps.groups",
    "apps.timeline",
    "apps.filings",
    "apps.plans",
    "apps.reviews",
    "apps.packets",
    "apps.people",
    "apps.notifications",
    "apps.reminders",
    "apps.indicators",
    "apps.stages",
    "apps.nominations",
    "apps.dashboards",
    "apps.registry",
    "apps.home",
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.accounts.middleware.SessionIdleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): which OTP device (if any) verified this session
    "django_otp.middleware.OTPMiddleware",
    "apps.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # after messages and htmx; sends reviewers and administrators to enrol or verify MFA
    "apps.accounts.mfa.MFARequiredMiddleware",
    # axes last: it inspects the response of a failed login
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.site",
                "apps.timeline.context_processors.campaign_notice",
                "apps.home.context_processors.navigation",
                "apps.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out login before any password hashing is done
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Session idle timeout: a session dies after SESSION_IDLE_MINUTES without activity. Its expiry
# is pushed forward when it is used, at most once every SESSION_TOUCH_SECONDS
# (apps.accounts.middleware.SessionIdleMiddleware) rather than with a write on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_TOUCH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
if env("CACHE_URL", default=None):
    # A cache shared by every web process (Redis) serves session reads; the database stays
    # the record. Not with the per-process default cache: a logout in one process would
    # leave the session alive in another's memory.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Two-factor authentication (django-otp) ----------------------------------------------
# Who must use a second factor is a policy of the people app (reviewers, lead reviewers,
# administrators): the accounts middleware only calls it, so accounts imports nothing above
# it. Enterprise users may opt in.
MFA_REQUIRED_POLICY = "apps.people.mfa.mfa_required"
MFA_ENROL_URL = "people:mfa_enrol"
MFA_VERIFY_URL = "people:mfa_verify"
# Pages an authenticated but unverified user may still reach.
MFA_EXEMPT_URL_NAMES = frozenset(
    {
        "accounts:logout",
        "accounts:set_language",
        "accounts:password_change",
        "accounts:password_change_done",
        "people:mfa_enrol",
        "people:mfa_verify",
        "healthz",
        "admin:logout",
    }
)
MFA_RECOVERY_CODE_COUNT = 10
OTP_TOTP_ISSUER = "ValueCreation Filing"
# Exponential back-off after a wrong code: 1, 2, 4, 8 … seconds (0 would switch it off).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a TOTP secret

# --- Invitations --------------------------------------------------------------------------
INVITATION_EXPIRY_HOURS = env.int("INVITATION_EXPIRY_HOURS", default=72)

# Login throttling (django-axes): five failures for one account from one address lock that
# pair out for a fixed cool-off; a success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "vc_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
# One date format per language (2026年12月2日 / 2 Dec 2026): config/formats/<locale>/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"  # files leave only through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Cache ------------------------------------------------------------------------------
# Frozen versions never change, so their rendered pages are cached by version, fingerprint
# and language. In-process by default; CACHE_URL (e.g. redis://...) to share between workers.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://vc-default")}
CACHES["default"].setdefault("OPTIONS", {})
CACHES["default"]["TIMEOUT"] = 60 * 60 * 24

# --- Mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="价值创造备案 <noreply@valuecreation.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in emails are absolute: this site's address as its users reach it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Celery -------------------------------------------------------------------------------
# With no broker the tasks run in-process, so `make run` works without Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = (Queue("default"), Queue("pdf"), Queue("mail"))
CELERY_TASK_ROUTES = {
    "apps.packets.*": {"queue": "pdf"},
    "apps.*.tasks.send_*": {"queue": "mail"},
}
# Late acknowledgement needs one message at a time, or a crash would take several with it.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Forms and UI -------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------------------
# CSP: everything from our own origin, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Celery logs every task at INFO (noisy when tasks run in-process); kombu warns about
    # the missing broker host when there is deliberately no broker.
    "loggers": {
        "axes": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
