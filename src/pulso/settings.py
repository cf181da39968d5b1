"""Django settings for Pulso, read from the environment (see README, "Configuration")."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pulso.env import env_bool, env_int, env_list, env_path, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("PULSO_DATA_DIR", Path.cwd() / "pulso-data")


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data dir."""
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("PULSO_DEBUG", False)
# The public address: every absolute link (password reset, survey links, QR codes, emails) is
# built from it, never from a request's Host header.
PULSO_BASE_URL = env_str("PULSO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_BASE = urlsplit(PULSO_BASE_URL)
if _BASE.scheme not in ("http", "https") or not _BASE.hostname:
    raise ImproperlyConfigured(f"PULSO_BASE_URL must be an http(s) URL, got {PULSO_BASE_URL!r}")
BASE_IS_HTTPS = _BASE.scheme == "https"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Hosts Pulso answers: the base URL's and the loopback names unless ALLOWED_HOSTS says;
# "*" is only accepted by `pulso serve` with PULSO_ALLOW_ANY_HOST=true.
_BASE_HOST = f"[{_BASE.hostname}]" if ":" in _BASE.hostname else _BASE.hostname
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", list(dict.fromkeys([_BASE_HOST, *LOOPBACK_HOSTS])))
PULSO_ALLOW_ANY_HOST = env_bool("PULSO_ALLOW_ANY_HOST", False)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"{_BASE.scheme}://{_BASE.netloc}"])

INSTALLED_APPS = [
    # Pulso's core and accounts come first so their templates (login, password reset)
    # take precedence over the admin's.
    "pulso.core",
    "pulso.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI and Redoc from its own static files (no CDN)
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rules",  # object permissions of the access policy (pulso.core.access)
    "axes",  # login throttling and lockout (pulso.accounts.lockout)
    "django_otp",  # second factor (pulso.accounts.twofactor)
    "django_otp.plugins.otp_totp",
    "pulso.journeys",
    "pulso.customers",
    "pulso.surveys",
    "pulso.feedback",
    "pulso.audits",
    "pulso.textanalytics",
    "pulso.metrics",
    "pulso.loop",
    "pulso.design",
    "pulso.economics",
    "pulso.pulses",
    "pulso.initiatives",
    "pulso.drivers",
    "pulso.benchmarks",
    "pulso.recognitions",
    "pulso.alerts",
    "pulso.crisis",
    "pulso.reports",
    "pulso.inbox",
    "pulso.reputation",
    "pulso.web",
    "pulso.demo",
]

# The access policy's actions are django-rules permissions: user.has_perm() and {% has_perm %}
# answer them, unit-aware; the model backend keeps Django's own permissions for the admin site.
# The first backend refuses logins to locked-out accounts and addresses (django-axes); the
# password backend can be switched off for everyone but superusers (PULSO_PASSWORD_LOGIN).
AUTHENTICATION_BACKENDS = [
    "pulso.accounts.lockout.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "pulso.accounts.backends.PasswordBackend",
    "pulso.accounts.oidc.OidcBackend",  # does nothing unless PULSO_OIDC_CLIENT_ID is set
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pulso.core.middleware.ContentSecurityPolicyMiddleware",  # django-csp's, policy built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "pulso.core.middleware.RejectNulBytesMiddleware",  # after Locale: its 400 is translated
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pulso.accounts.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused login into the lockout page
]

ROOT_URLCONF = "pulso.urls"
WSGI_APPLICATION = "pulso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pulso.web.context_processors.branding",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        return dict(config)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "pulso.sqlite3",
        # Persistent connections: closing the last connection to a WAL database checkpoints
        # it with an fsync, which cost ~20 ms per request when connections closed per request.
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,  # free on SQLite (no query); PostgreSQL would pay a SELECT 1
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Madrid")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pulso <pulso@localhost>")

REDIS_URL = env_str("REDIS_URL")


def _caches() -> dict[str, dict[str, object]]:
    """The cache every process shares (the public rate limit counts in it): Redis when
    REDIS_URL is set, else a table of the database (created by `pulso migrate`)."""
    backend = env_str("PULSO_CACHE", "redis" if REDIS_URL else "db")
    if backend == "redis":
        location = REDIS_URL or "redis://127.0.0.1:6379/0"
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                            "LOCATION": location, "KEY_PREFIX": "pulso"}}  # fmt: skip
    if backend == "db":
        return {"default": {"BACKEND": "pulso.core.cache.SharedDatabaseCache",
                            "LOCATION": "pulso_cache"}}  # fmt: skip
    if backend == "locmem":  # one process only (tests, experiments)
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    raise ImproperlyConfigured(f"PULSO_CACHE must be db, redis or locmem, got {backend!r}")


CACHES = _caches()
TASKS_BACKEND = env_str("PULSO_TASKS_BACKEND", "db")


def _tasks() -> dict[str, dict[str, object]]:
    if TASKS_BACKEND == "immediate":
        return {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    if TASKS_BACKEND == "rq":
        return {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


TASKS = _tasks()
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

# `pulso worker` retries the running tasks of a worker silent this long (pulso.core.workers),
# and those of a worker that never reported (a bare db_worker) after the second value.
PULSO_WORKER_STALE_SECONDS = env_int("PULSO_WORKER_STALE_SECONDS", 60)
PULSO_TASK_ORPHAN_SECONDS = env_int("PULSO_TASK_ORPHAN_SECONDS", 3600)
# Employee pulse results are shown only for groups of at least this many people.
PULSO_PULSE_MIN_GROUP = max(2, env_int("PULSO_PULSE_MIN_GROUP", 5))
if min(PULSO_WORKER_STALE_SECONDS, PULSO_TASK_ORPHAN_SECONDS) < 15:  # heartbeats: every 10 s
    raise ImproperlyConfigured(
        "PULSO_WORKER_STALE_SECONDS and PULSO_TASK_ORPHAN_SECONDS: 15 or more"
    )

PULSO_COMPANY_NAME = env_str("PULSO_COMPANY_NAME", "Pulso")
PULSO_BRAND_COLOR = env_str("PULSO_BRAND_COLOR", "#0f5c8c")
# Per-IP limit of public survey POSTs ("30/m", "200/h"; "off" disables it).
PULSO_PUBLIC_RATE_LIMIT = env_str("PULSO_PUBLIC_RATE_LIMIT", "30/m")

# The inbox's chat widget (pulso.inbox): sites that may embed it (CORS origins, e.g.
# "https://www.example.com"), per-IP limits of its messages and of its polling, office hours
# ("1-5 09:00-18:00", ISO weekdays, TIME_ZONE; "always") and the assistant's handoff threshold.
PULSO_CHAT_ALLOWED_ORIGINS = env_list("PULSO_CHAT_ALLOWED_ORIGINS", [])
PULSO_CHAT_POST_RATE = env_str("PULSO_CHAT_POST_RATE", "20/m")
PULSO_CHAT_POLL_RATE = env_str("PULSO_CHAT_POLL_RATE", "120/m")
PULSO_INBOX_OFFICE_HOURS = env_str("PULSO_INBOX_OFFICE_HOURS", "1-5 09:00-18:00")
# Empty: the classifier's default (pulso.inbox.intents.DEFAULT_HANDOFF_THRESHOLD).
PULSO_ASSISTANT_THRESHOLD = env_str("PULSO_ASSISTANT_THRESHOLD")
try:
    _threshold = float(PULSO_ASSISTANT_THRESHOLD or "0.5")
except ValueError:
    _threshold = -1.0
if not 0 <= _threshold <= 1:
    raise ImproperlyConfigured("PULSO_ASSISTANT_THRESHOLD: a number from 0 to 1, like 0.76")
# The inbox's SLAs, counted in office hours from when a conversation waits for a person: the
# first answer, the resolution, and how long after an escalation the next level is told.
PULSO_INBOX_FIRST_RESPONSE_MINUTES = env_int("PULSO_INBOX_FIRST_RESPONSE_MINUTES", 60)
PULSO_INBOX_RESOLUTION_HOURS = env_int("PULSO_INBOX_RESOLUTION_HOURS", 24)
PULSO_INBOX_ESCALATE_AGAIN_HOURS = env_int("PULSO_INBOX_ESCALATE_AGAIN_HOURS", 8)
if min(PULSO_INBOX_FIRST_RESPONSE_MINUTES, PULSO_INBOX_RESOLUTION_HOURS) < 1:
    raise ImproperlyConfigured(
        "PULSO_INBOX_FIRST_RESPONSE_MINUTES and PULSO_INBOX_RESOLUTION_HOURS: 1 or more"
    )
# The inbox's mailbox, read over IMAP every minute (no host: no email channel).
PULSO_INBOX_IMAP_HOST = env_str("PULSO_INBOX_IMAP_HOST")
PULSO_INBOX_IMAP_PORT = env_int("PULSO_INBOX_IMAP_PORT", 993)
PULSO_INBOX_IMAP_SSL = env_bool("PULSO_INBOX_IMAP_SSL", True)
PULSO_INBOX_IMAP_USER = env_str("PULSO_INBOX_IMAP_USER")
PULSO_INBOX_IMAP_PASSWORD = env_str("PULSO_INBOX_IMAP_PASSWORD")
PULSO_INBOX_IMAP_MAILBOX = env_str("PULSO_INBOX_IMAP_MAILBOX", "INBOX")

# Survey distribution (pulso.surveys.distribution): contact rules, reminders and SMS.
PULSO_CONTACT_INTERVAL_DAYS = env_int("PULSO_CONTACT_INTERVAL_DAYS", 30)
PULSO_REMINDER_DAYS = env_int("PULSO_REMINDER_DAYS", 3)
PULSO_SMS_PROVIDER = env_str("PULSO_SMS_PROVIDER", "console")
PULSO_SMS_HTTP_URL = env_str("PULSO_SMS_HTTP_URL")
PULSO_SMS_HTTP_TOKEN = env_str("PULSO_SMS_HTTP_TOKEN")

# Over HTTPS (PULSO_BASE_URL https://…) cookies are Secure and browsers are told to keep to
# HTTPS (HSTS); each can still be set on its own.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", BASE_IS_HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", BASE_IS_HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if BASE_IS_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", BASE_IS_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", BASE_IS_HTTPS)
# Reverse proxies in front of Pulso (nginx, a load balancer). Only then are their headers
# trusted: X-Forwarded-For gives the client's address (pulso.core.proxies, used by the public
# rate limit) and X-Forwarded-Proto tells Django the request came over HTTPS. Without proxies a
# client could forge either header, so both are ignored.
PULSO_PROXY_COUNT = env_int("PULSO_PROXY_COUNT", 0)
if PULSO_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"PULSO_PROXY_COUNT must be 0 or more, got {PULSO_PROXY_COUNT}")
if PULSO_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain-HTTP requests are redirected to HTTPS when a proxy tells which ones came over HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BASE_IS_HTTPS and PULSO_PROXY_COUNT > 0)

# Content-Security-Policy (django-csp; docs/deployment.md): scripts and styles only from
# Pulso's own static files, never inline, no eval (charts run Vega's expression interpreter).
# A <style> element is applied only with the request's nonce (the brand colour, Redoc's
# generated styles); django-csp sends a nonce only on the pages that used one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Days of history `pulso demo` generates (the test suite asks for fewer to stay fast).
PULSO_DEMO_DAYS = env_int("PULSO_DEMO_DAYS", 365)

# Customers whose value reaches this amount raise the priority of their cases (0: the value of
# the top tenth of customers).
PULSO_HIGH_VALUE_CUSTOMER = env_int("PULSO_HIGH_VALUE_CUSTOMER", 0)

# Below this many answers a figure is shown as "base baja" (low base).
PULSO_LOW_BASE_N = env_int("PULSO_LOW_BASE_N", 30)
# Whether a manager's peer benchmark names the peer units ("Tienda A, B…" when false).
PULSO_PEER_NAMES = env_bool("PULSO_PEER_NAMES", True)

# Retention (docs/privacy.md): days after which a data kind is removed by the daily job; 0 keeps
# it for ever. Personal data: customers with no feedback and no change for that long are erased.
# Comment details: emails, phones, ID and account numbers inside older comments are masked.
PULSO_RETENTION_DAYS = {
    "personal_data": env_int("PULSO_RETENTION_PERSONAL_DATA_DAYS", 0),
    "comment_details": env_int("PULSO_RETENTION_COMMENT_DETAILS_DAYS", 0),
}
# Customers erased per daily run at most (the rest follow on the next runs).
PULSO_RETENTION_BATCH = env_int("PULSO_RETENTION_BATCH", 500)

# Identity (docs/identity.md): password logins, single sign-on, lockout and second factor.
PULSO_PASSWORD_LOGIN = env_bool("PULSO_PASSWORD_LOGIN", True)

# Single sign-on with OpenID Connect (mozilla-django-oidc), on when a client id is set.
PULSO_OIDC_ENABLED = bool(env_str("PULSO_OIDC_CLIENT_ID"))
PULSO_OIDC_PROVIDER_NAME = env_str("PULSO_OIDC_PROVIDER_NAME", "SSO")
PULSO_OIDC_LINK_BY_EMAIL = env_bool("PULSO_OIDC_LINK_BY_EMAIL", False)
# The provider's issuer: ID tokens from any other are refused (printed by `pulso oidc_discover`).
PULSO_OIDC_ISSUER = env_str("PULSO_OIDC_ISSUER")
OIDC_RP_CLIENT_ID = env_str("PULSO_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("PULSO_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("PULSO_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("PULSO_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("PULSO_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("PULSO_OIDC_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("PULSO_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("PULSO_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("PULSO_OIDC_TIMEOUT", 10)
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"  # used as is, not resolved
if PULSO_OIDC_ENABLED:
    _missing = [
        name
        for name, value in [
            ("PULSO_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
            ("PULSO_OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
            ("PULSO_OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
            ("PULSO_OIDC_USERINFO_ENDPOINT", OIDC_OP_USER_ENDPOINT),
            (
                "PULSO_OIDC_JWKS_ENDPOINT",
                OIDC_OP_JWKS_ENDPOINT if OIDC_RP_SIGN_ALGO[:2] in {"RS", "ES"} else "-",
            ),
        ]
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(f"PULSO_OIDC_CLIENT_ID is set; also set {', '.join(_missing)}")

# Lockout after repeated failed logins (django-axes): per account and per address by default;
# a locked account stays locked until an admin unlocks it (admin or `pulso unlock`), unless
# PULSO_LOGIN_COOLOFF_MINUTES sets an automatic expiry.
AXES_FAILURE_LIMIT = env_int("PULSO_LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = env_list("PULSO_LOGIN_LOCKOUT_BY", ["username", "ip_address"])
_cooloff = env_int("PULSO_LOGIN_COOLOFF_MINUTES", 0)
AXES_COOLOFF_TIME = timedelta(minutes=_cooloff) if _cooloff > 0 else None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("PULSO_LOGIN_FAILURE_LIMIT must be 1 or more")
if not set(AXES_LOCKOUT_PARAMETERS) <= {"username", "ip_address"} or not AXES_LOCKOUT_PARAMETERS:
    raise ImproperlyConfigured("PULSO_LOGIN_LOCKOUT_BY: username, ip_address or both")

# Second factor (django-otp, TOTP): optional for everyone; required for staff (admin site users)
# and for holders of the roles listed (e.g. "admin,cx_analyst") when set.
PULSO_2FA_REQUIRED_ROLES = env_list("PULSO_2FA_REQUIRED_ROLES", [])
PULSO_2FA_REQUIRED_FOR_STAFF = env_bool("PULSO_2FA_REQUIRED_FOR_STAFF", False)
OTP_TOTP_ISSUER = PULSO_COMPANY_NAME
