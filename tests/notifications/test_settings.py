"""Email and task-queue settings from the environment, the deploy checks, and beat's schedule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic_site.settings import email_settings

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-test-secret-key-that-is-long-and-random-enough-7a1c3e5f7b9d0f2a4c6e8a0b2d4f6a8c",
    "ALLOWED_HOSTS": "selfcheck.example.nz",
    "PRIVACY_OFFICER_EMAIL": "privacy@selfcheck.example.nz",
    "EMAIL_URL": "submission://selfcheck:secret@mail.example.nz",
    "SITE_URL": "https://selfcheck.example.nz",
}
SETTINGS_SHOWN = (
    "from django.conf import settings as s; import json; print(json.dumps({k: getattr(s, k, None) for k in ("
    "'EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_HOST_USER', 'DEFAULT_FROM_EMAIL', "
    "'CELERY_BROKER_URL', 'CELERY_TASK_ALWAYS_EAGER')}))"
)


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    unset = {
        "DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "SITE_URL", "REDIS_URL", "CELERY_BROKER_URL",
        "DEFAULT_FROM_EMAIL", "DJANGO_DEBUG",
    }  # fmt: skip
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )


def shown_settings(env: dict[str, str]) -> dict:
    result = run_manage("shell", "-c", SETTINGS_SHOWN, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.internal:25", {"EMAIL_HOST": "mail.internal", "EMAIL_PORT": 25, "EMAIL_USE_TLS": False}),
        (
            "smtp+tls://clinic%40example.nz:p%40ss@mail.example.nz:587",
            {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_HOST_USER": "clinic@example.nz"},
        ),
        ("smtp+ssl://u:p@mail.example.nz:465", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
        ("submission://u:p@mail.example.nz", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_HOST_PASSWORD": "p"}),
    ],
)
def test_email_url_becomes_djangos_smtp_settings(url, expected):
    parsed = email_settings(url)
    assert parsed["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert {key: parsed[key] for key in expected} == expected


def test_an_email_url_with_an_unknown_scheme_is_refused_with_the_schemes_that_work():
    with pytest.raises(ImproperlyConfigured, match="smtp\\+tls"):
        email_settings("https://mail.example.nz")


def test_without_email_url_development_prints_emails_and_without_a_broker_tasks_run_inline():
    shown = shown_settings({"DJANGO_DEBUG": "1"})
    assert shown["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert shown["CELERY_TASK_ALWAYS_EAGER"] is True


def test_the_broker_is_celery_broker_url_else_redis_url_and_the_sender_comes_from_the_environment():
    shown = shown_settings({"REDIS_URL": "redis://127.0.0.1:6379/3", "DEFAULT_FROM_EMAIL": "Clinic <c@example.nz>"})
    assert (shown["CELERY_BROKER_URL"], shown["CELERY_TASK_ALWAYS_EAGER"]) == ("redis://127.0.0.1:6379/3", False)
    assert shown["DEFAULT_FROM_EMAIL"] == "Clinic <c@example.nz>"
    shown = shown_settings({"REDIS_URL": "redis://127.0.0.1:6379/3", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/4"})
    assert shown["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/4"


def test_check_deploy_is_clean_with_the_documented_email_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("missing", "check_id"), [("EMAIL_URL", "notifications.W001"), ("SITE_URL", "notifications.W002")]
)
def test_check_deploy_warns_in_production_until_email_url_and_site_url_are_set(missing, check_id):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout


def test_beat_clears_expired_sessions_daily_and_the_task_does_it(db):
    from datetime import timedelta

    from celery.schedules import crontab
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from clinic_site.celery import sessions_clear

    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == sessions_clear.name
    assert entry["schedule"] == crontab(hour=3, minute=15)
    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - timedelta(hours=1))
    Session.objects.create(session_key="live", session_data="", expire_date=timezone.now() + timedelta(hours=1))
    sessions_clear.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
