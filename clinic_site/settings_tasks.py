"""Background tasks (Celery), email and notification settings, pulled into settings.py by name.

Split out of settings.py to keep each module under 400 lines (issue 10); values are unchanged.
"""

from __future__ import annotations

import os

import dj_email_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .settings_base import BASE_DIR, PRODUCTION, REDIS_URL, TIME_ZONE, env_bool

# --- Background tasks (Celery) ----------------------------------------------
# Every email goes through a Celery task. The broker is CELERY_BROKER_URL, else
# REDIS_URL; `make worker` runs the worker with beat (docs/operations.md).
# Without either, tasks run inline in the web process (make run, make test):
# nothing else to start, but no retries later (see notifications.tasks).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL
# CELERY_TASK_ALWAYS_EAGER=1 forces inline tasks even with a broker (the load run uses it).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = False
# One queue per site (or test run) sharing a Redis, so no one takes another's tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "selfcheck")
# Nothing reads task results: the notification log is the record.
CELERY_TASK_IGNORE_RESULT = True
# A task is taken off the queue only once it has finished, and a worker takes
# one at a time: a worker killed mid-task leaves it for the next one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Handing a task to an unreachable broker gives up within about a second, so a
# Redis outage slows a booking request by that much at most (the log row stays queued).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic tasks run by `make worker` (celery beat). A new daily job is one more entry.
CELERY_BEAT_SCHEDULE = {
    # Expired patient sessions (their answers in progress) removed nightly.
    "clear-expired-sessions": {"task": "clinic_site.celery.sessions_clear", "schedule": crontab(hour=3, minute=15)},
    # Emails left queued by a broker outage are handed to the queue again.
    "requeue-stale-notifications": {"task": "notifications.requeue_stale", "schedule": crontab(minute="*/10")},
    # Follow-up check-ins due at 6 and 12 weeks emailed, expired ones closed (docs/followups.md).
    "send-followups": {"task": "followups.send_due", "schedule": crontab(hour=10, minute=0)},
}
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / "celerybeat-schedule"))

# --- Email ---------------------------------------------------------------------
# EMAIL_URL, parsed by dj-email-url: smtp://host:25 (plain), smtp+tls://user:password@host:587
# (STARTTLS), smtp+ssl://user:password@host:465 (TLS from the start), submission://user:password@host
# (STARTTLS on 587), console: (print), dummy: (discard); user names and passwords URL-encoded.
# Without it: printed to the console in development, and the SMTP server on
# localhost:25 in production (check --deploy warns, notifications.W001).
EMAIL_SCHEME_ALIASES = {"smtp+tls": ("smtp", "tls=1"), "smtp+ssl": ("smtp", "ssl=1")}


def email_settings(url: str) -> dict:
    """Django's email settings from an EMAIL_URL; a scheme nothing can send with is refused at start."""
    scheme, _, rest = url.partition(":")
    if scheme in EMAIL_SCHEME_ALIASES:
        scheme, query = EMAIL_SCHEME_ALIASES[scheme]
        url = f"{scheme}:{rest}{'&' if '?' in rest else '?'}{query}"
    if scheme not in dj_email_url.SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL has the scheme {scheme!r}; use one of smtp, smtp+tls, smtp+ssl, submission, console, dummy "
            "(e.g. smtp+tls://user:password@mail.example.org:587)."
        )
    parsed = {key: value for key, value in dj_email_url.parse(url).items() if value is not None}
    parsed.setdefault("EMAIL_HOST_USER", "")
    parsed.setdefault("EMAIL_HOST_PASSWORD", "")
    return parsed


EMAIL_URL = os.environ.get("EMAIL_URL", "")
# A slow mail server must not hold a worker (or an inline send) for long; ?timeout= in EMAIL_URL overrides.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 10))
if EMAIL_URL:
    vars().update(email_settings(EMAIL_URL))
elif not PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", vars().get("DEFAULT_FROM_EMAIL", "Foot Foundation self-check <selfcheck@localhost>")
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", vars().get("SERVER_EMAIL", DEFAULT_FROM_EMAIL))

# --- Notifications ---------------------------------------------------------------
# The site's public address, for the admin links in the clinic's emails
# (e.g. https://selfcheck.footfoundation.co.nz); check --deploy warns in production until set.
SITE_URL = os.environ.get("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
# Where a clinic's notifications go when the clinic has no address of its own.
CLINIC_NOTIFY_EMAIL = os.environ.get("CLINIC_NOTIFY_EMAIL", "")
# Sending attempts per email, and the first wait before a retry (doubled each time: 30 s, 1, 2, 4 min).
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", 5))
NOTIFICATIONS_RETRY_BASE_SECONDS = float(os.environ.get("NOTIFICATIONS_RETRY_BASE_SECONDS", 30))
