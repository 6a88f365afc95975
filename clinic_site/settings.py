"""Settings for the hip and back pain self-check.

Everything that differs between a laptop and production is read from the
environment here, in one place. Defaults suit local development: an embedded
SQLite database, DEBUG off unless DJANGO_DEBUG=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# BASE_DIR, env_bool, env_list, PRODUCTION, TIME_ZONE and REDIS_URL live in settings_base, which the
# sibling settings modules (settings_tasks, settings_security) read too.
from .settings_base import BASE_DIR, PRODUCTION, REDIS_URL, TIME_ZONE, env_bool, env_list  # noqa: F401

DEBUG = env_bool("DJANGO_DEBUG") and not PRODUCTION

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105 (public on purpose)
if PRODUCTION:
    missing = [name for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)) if not value]
    if missing:
        raise ImproperlyConfigured(
            f"DJANGO_ENV=production needs {' and '.join(missing)} set in the environment; refusing to start. "
            "SECRET_KEY: a long random string kept secret "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"). '
            "ALLOWED_HOSTS: the site's host names, comma-separated (e.g. selfcheck.footfoundation.co.nz)."
        )
else:
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]
# The development key is public (it is in this file): it may only sign
# anything with DEBUG on (make run) or in a test or benchmark run
# (DJANGO_TESTING=1, set by tests/settings.py; never honoured in production).
# Anything else without a SECRET_KEY, whatever DJANGO_ENV says, refuses to
# start rather than run a site whose sessions and tokens anyone could forge.
TESTING = os.environ.get("DJANGO_TESTING") == "1" and not PRODUCTION
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off: refusing to start with the development key, whatever "
            "DJANGO_ENV says. Set SECRET_KEY to a long random string kept secret "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), or set DJANGO_DEBUG=1 for local '
            "development only."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
if SECRET_KEY == DEVELOPMENT_SECRET_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured("SECRET_KEY is the public development key: set a secret one of your own.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "formtools",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "triage",
    "audit",
    "review",
    "booking",
    "notifications",
    "followups",
    # Listed so its docs page uses the bundled Swagger UI files, not a CDN.
    "ninja",
    "api",
    "interop",
    # Last: the site itself, for its management commands and for the audited
    # OTP device admin, which replaces django-otp's own (registered above).
    "clinic_site",
]

# Actions other apps add to the triage queue (review's submission admin). Named
# here, where the site is composed, because review and interop are siblings
# that never import each other.
SUBMISSION_ADMIN_EXTRA_ACTIONS = ["interop.admin.download_questionnaire_response"]

MIDDLEWARE = [
    # First, so its one line per request sees the final status, whatever an inner layer did.
    "clinic_site.middleware.RequestLogMiddleware",
    # Early and cheap: NUL bytes and out-of-range numbers in a path or filter get a 400, not a database error.
    "clinic_site.bad_query.BadQueryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "clinic_site.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: an over-size body is refused before anything is loaded or stored.
    "clinic_site.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: picks the patient's language (from LANGUAGES) for every page.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff must verify a second factor before anything else (REQUIRE_STAFF_MFA).
    "clinic_site.middleware.StaffMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it only turns a lockout flagged during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic_site.context_processors.privacy",
            ],
        },
    },
]

WSGI_APPLICATION = "clinic_site.wsgi.application"

# Database: an embedded SQLite file unless DATABASE_URL names another one
# (PostgreSQL in production). SQLite runs in WAL mode with a busy timeout and
# IMMEDIATE transactions, so concurrent writers wait for the lock instead of
# failing with "database is locked".
SQLITE_OPTIONS = {
    # secure_delete: deleted rows (answers, contact details) are overwritten, not left in free pages.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    default_db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    if default_db["ENGINE"] == "django.db.backends.sqlite3":
        default_db["OPTIONS"] = {**SQLITE_OPTIONS, **default_db.get("OPTIONS", {})}
else:
    default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
    }
# A test database of its own per process, so two suites running at once on
# the same PostgreSQL server do not drop each other's database.
default_db["TEST"] = (
    {"NAME": f"test_clinic_{os.getpid()}"} if default_db["ENGINE"] != ("django.db.backends.sqlite3") else {}
)
DATABASES = {"default": default_db}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Answers are health information: sessions live in the database, never in a
# signed cookie where they would be readable by anyone holding the cookie.
# A session lasts SESSION_COOKIE_AGE seconds (2 hours by default) from its
# last save, and ends when the browser closes; the result page and "delete my
# answers" only work while it lasts (docs/operations.md). Expired rows are
# removed by `manage.py clearsessions` (run it daily from cron).
SESSION_ENGINE = "triage.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 60 * 60 * 2))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes checks every staff sign-in first. Failures are counted twice:
# per user name and IP (5 wrong passwords for one account from one address),
# and per IP alone (one password tried across many user names from one
# address, "password spraying"). Either reaching 5 locks sign-in from there
# for an hour; a successful sign-in from the address clears its count.
AUTHENTICATION_BACKENDS = [
    "clinic_site.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_CLIENT_IP_CALLABLE = "audit.actor.client_ip"
# Axes records every attempt in its own tables (visible in the admin). Its log
# lines name only what a lockout is keyed on (staff user name and IP), never
# user agents; no patient data passes through sign-in.
AXES_VERBOSE = False

# Staff second factor (ASVS 2.7): an authenticator app code after the
# password, with one-time recovery codes (clinic_site/mfa.py,
# docs/operations.md). Always required in production (no setting turns it
# off there); off by default elsewhere so `make run` signs in with a password
# alone (REQUIRE_STAFF_MFA=1 to try it locally).
REQUIRE_STAFF_MFA = PRODUCTION or env_bool("REQUIRE_STAFF_MFA")
OTP_TOTP_ISSUER = "Foot Foundation self-check"
# Not even an administrator sees another person's secret key or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Wrong codes are throttled (django-otp): after each one the next is refused
# for 1, 2, 4, 8... seconds, so ten wrong codes in a row lock the account's
# codes for 8.5 minutes, and the wait keeps doubling. Never 0 here.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Staff passwords (ASVS 2.1): at least 12 characters and not a known common
# password; no composition rules (no "a digit and a symbol"), so a long
# passphrase of plain words is fine.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-nz"
# Every patient-facing string is marked for translation: a language (te reo Maori first) is
# added here with its locale/<code>/LC_MESSAGES/django.po, without touching a template.
LANGUAGES = [("en-nz", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# TIME_ZONE ("Pacific/Auckland") is set in settings_base.
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic (production) writes here; WhiteNoise serves from the finders otherwise.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles")) if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # Hashed, compressed files need collectstatic first: production only.
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve files straight from the app directories when collectstatic has not run
# (make run, tests); production serves only the collected, hashed files
# (make serve runs collectstatic first).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "admin:login"

# The FHIR resources' canonical base, e.g. https://selfcheck.example.org/fhir: set it so
# Questionnaire URLs stay the same whichever host name a request arrives on.
FHIR_BASE_URL = os.environ.get("FHIR_BASE_URL", "")

# Cache: Redis when REDIS_URL is set (shared by all workers: rate limits hold
# across processes); otherwise local memory, fine for one process.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several sites (or test runs) can share one Redis with their own prefix.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "selfcheck"),
            # A slow or unreachable Redis must not hold a request for long (rate limits fail open).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Background tasks (Celery), email, notifications: settings_tasks.py ----------
from .settings_tasks import *  # noqa: E402, F403

# --- Request limits (docs/operations.md, "Limits") -----------------------------
# Largest request body accepted, by path prefix (the first that matches); a
# larger one gets a 413 before it is read. The largest honest questionnaire
# step is about 2 KB (the contact step with every field at its maximum length
# in multi-byte letters; tests/security/test_session_flooding.py checks it fits
# four times over), so patient pages take 32 KB. The API has its own limit:
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB, a 400 above it) with its error
# lists capped, unless API_MAX_BODY_BYTES sets one here (a JSON 413 above it).
# None: only Django's own limit applies (the API by default, staff admin).
PATIENT_MAX_BODY_BYTES = int(os.environ.get("PATIENT_MAX_BODY_BYTES", 32 * 1024))
API_MAX_BODY_BYTES = int(os.environ["API_MAX_BODY_BYTES"]) if os.environ.get("API_MAX_BODY_BYTES") else None
REQUEST_BODY_LIMITS = [
    ("/admin/", None),
    ("/api/", API_MAX_BODY_BYTES),
    ("/", PATIENT_MAX_BODY_BYTES),
]

# Questionnaire step POSTs, and new questionnaire sessions, allowed per client
# IP: (count, window in seconds). A run is five step POSTs (a few more with a
# correction or the Back button), so 300 an hour is about 40 runs; new
# sessions (a browser with no session yet starting the questionnaire) stop a
# script from creating session rows without end.
TRIAGE_STEP_RATE_LIMIT = (int(os.environ.get("TRIAGE_STEP_POSTS_PER_HOUR", 300)), 3600)
TRIAGE_NEW_SESSION_RATE_LIMIT = (int(os.environ.get("TRIAGE_NEW_SESSIONS_PER_HOUR", 100)), 3600)

# How long a process keeps its read of the latest ruleset number and of the
# clinic list (triage.selectors.RecentRead): a busy worker reads each once a
# second instead of on every page. 0 reads them on every request.
TRIAGE_CONTENT_REREAD_SECONDS = float(os.environ.get("TRIAGE_CONTENT_REREAD_SECONDS", 1))

# Questionnaire submissions allowed per client IP: (count, window in seconds).
# Counted when answers are stored: a final submit or a red-flag exit.
TRIAGE_SUBMISSION_RATE_LIMIT = (
    int(os.environ.get("TRIAGE_SUBMISSIONS_PER_HOUR", 20)),
    3600,
)

# --- Privacy (Health Information Privacy Code 2020) --------------------------
# Bump the version whenever the notice (templates/triage/privacy.html, or its
# summary templates/triage/_collection_notice.html) changes in
# substance: every submission records the version the person was shown.
TRIAGE_PRIVACY_NOTICE_VERSION = "2026-11-1"
TRIAGE_PRIVACY_OFFICER = {
    "name": os.environ.get("PRIVACY_OFFICER_NAME", "the Foot Foundation privacy officer"),
    # No default contact: never invent one. check --deploy warns until one is set.
    "email": os.environ.get("PRIVACY_OFFICER_EMAIL", ""),
    "phone": os.environ.get("PRIVACY_OFFICER_PHONE", ""),
}
# Days a submission is kept before `manage.py purge_submissions` deletes it.
# Anonymous self-checks are only useful for a short while; a submission where
# the person asked to be contacted has clinical follow-up and is kept as long
# as other clinical records (Health (Retention of Health Information)
# Regulations 1996: 10 years).
TRIAGE_RETENTION_DAYS = {
    "anonymous": int(os.environ.get("TRIAGE_RETENTION_DAYS_ANONYMOUS", 180)),
    "follow_up": int(os.environ.get("TRIAGE_RETENTION_DAYS_FOLLOW_UP", 3653)),
}
# The audit trail keeps who did what for as long as the records it is about;
# the IP address each event came from only this long (purge_submissions clears it).
AUDIT_IP_RETENTION_DAYS = int(os.environ.get("AUDIT_IP_RETENTION_DAYS", 90))

# --- Security headers and production HTTPS: settings_security.py ------------------
from .settings_security import *  # noqa: E402, F403

# --- Logging ------------------------------------------------------------------
# One JSON line per request (clinic_site.middleware.RequestLogMiddleware) and
# per error, on stderr. Lines never carry answers, names, emails or phone
# numbers: requests log method, path (result tokens masked), status and time;
# messages pass through a filter that masks emails, phone numbers and tokens.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "clinic_site.logs.RedactFilter"}},
    "formatters": {"json": {"()": "clinic_site.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # The request middleware already logs every request; django.request
        # would repeat each 4xx. It still logs every 5xx with its traceback.
        "django.request": {"level": "ERROR"},
        # runserver's own access line would repeat ours, query string and all.
        "django.server": {"level": "WARNING"},
    },
}
