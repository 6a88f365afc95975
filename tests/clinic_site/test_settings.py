"""Production settings, the health check, faults (database down, double submits) and the logs."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from clinic_site.logs import JsonFormatter
from tests.triage.test_views import answer_steps, post_step, step_url
from triage import services
from triage.models import Submission

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-test-secret-key-that-is-long-and-random-enough-1f0c9e7b2a4d6e8f0a1b3c5d7e9f",
    "ALLOWED_HOSTS": "selfcheck.example.nz",
    "PRIVACY_OFFICER_EMAIL": "privacy@selfcheck.example.nz",
    "EMAIL_URL": "smtp+tls://selfcheck%40example.nz:secret@mail.example.nz:587",
    "SITE_URL": "https://selfcheck.example.nz",
}


@pytest.fixture
def start(client, db):
    client.get(reverse("triage:check") + "?reset=1")
    return client


def run_manage(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess:
    unset = {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        input=stdin,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets_and_says_which(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"DJANGO_ENV=production needs {missing} set in the environment; refusing to start" in result.stderr


def test_check_deploy_reports_nothing_in_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_until_the_privacy_officer_can_be_reached():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PRIVACY_OFFICER_EMAIL"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "triage.W001" in result.stderr + result.stdout
    assert "PRIVACY_OFFICER_EMAIL" in result.stderr + result.stdout


def test_production_cookies_are_host_only_https_sessions_server_side_static_files_hashed():
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_ENGINE, s.SECURE_SSL_REDIRECT, s.DEBUG, "
        "s.STORAGES['staticfiles']['BACKEND'], s.WHITENOISE_USE_FINDERS)"
    )
    result = run_manage("shell", "--no-imports", "-c", script, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "triage.sessions",
        "True",
        "False",
        # Hashed names (cached for a year) and gzip/brotli copies, made by collectstatic.
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "False",
    ]


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.fixture
def redis_down(settings):
    """Redis configured but not answering (nothing listens on port 1)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_with_redis_down_patients_can_still_submit_and_the_outage_is_logged(redis_down, start, db_ruleset, log_output):
    response = answer_steps(start, db_ruleset, yes={"groin_pain"})
    assert response.status_code == 302
    assert Submission.objects.count() == 1
    assert start.get(response["Location"]).status_code == 200
    events = [json.loads(line).get("event") for line in log_output.getvalue().splitlines()]
    assert "cache_down" in events


def test_healthz_reports_a_cache_outage_without_failing(redis_down, client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "down"}


def test_a_database_outage_mid_questionnaire_gets_the_friendly_503_page(db):
    client = Client(raise_request_exception=False)
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("gone away")):
        response = client.get(step_url("safety"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "briefly unavailable" in page
    assert "call 111" in page
    assert "gone away" not in page and "Traceback" not in page and "OperationalError" not in page
    assert response["Retry-After"] == "60"


OUTAGE_SCRIPT = """
import django
django.setup()
from django.test import Client
response = Client(raise_request_exception=False).get("/check/safety/")
print(response.status_code, "briefly unavailable" in response.content.decode())
"""


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://postgres@127.0.0.1:1/nowhere",  # nothing listens on port 1
        "sqlite:////nonexistent-directory/db.sqlite3",
    ],
    ids=["postgresql-unreachable", "sqlite-unopenable"],
)
def test_an_unreachable_database_gets_the_503_page_not_a_traceback(database_url):
    unset = {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [sys.executable, "-c", OUTAGE_SCRIPT],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "clinic_site.settings", "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "503 True", result.stderr[-2000:]


def test_an_unexpected_error_gets_the_500_page_with_no_detail(start, db_ruleset):
    client = Client(raise_request_exception=False)
    client.cookies = start.cookies
    answer_steps(client, db_ruleset, upto="duration")
    with mock.patch.object(services, "submission_create", side_effect=ValueError("secret internals")):
        response = post_step(client, "contact", {})
    assert response.status_code == 500
    page = response.content.decode()
    assert "something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_a_missing_page_gets_the_site_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We cannot find that page" in response.content.decode()
    assert "no-such-page" not in response.content.decode()


def test_a_double_clicked_final_submit_stores_one_submission(start, db_ruleset, monkeypatch):
    """Two POSTs of the last step race: the second arrives while the first is between scoring and saving."""
    answer_steps(start, db_ruleset, yes={"groin_pain"}, upto="duration")
    second_click = Client()
    second_click.cookies = start.cookies
    original_build = services.submission_build
    clicks = []

    def build_while_clicked_again(**kwargs):
        if not clicks:
            clicks.append("clicked")
            clicks.append(post_step(second_click, "contact", {}))  # both requests read the same session
        return original_build(**kwargs)

    monkeypatch.setattr(services, "submission_build", build_while_clicked_again)
    first = post_step(start, "contact", {})
    second = clicks[1]
    submission = Submission.objects.get()
    location = reverse("triage:result", kwargs={"token": submission.token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == location
    assert start.get(location).status_code == 200


@pytest.fixture
def log_output():
    """What the site's configured console handler writes, captured as text."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter))
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def journey(client, ruleset) -> str:
    """A whole questionnaire with contact details; returns the result address."""
    client.get(reverse("triage:landing"))
    client.get(reverse("triage:check") + "?reset=1")
    response = answer_steps(
        client,
        ruleset,
        yes={"groin_pain", "clicking_catching"},
        contact={
            "contact_consent": "on",
            "contact_name": "Aroha Ngata",
            "contact_email": "aroha.ngata@example.co.nz",
            "contact_phone": "021 555 0199",
        },
    )
    client.get(response["Location"])
    return response["Location"]


def test_logs_are_one_json_line_per_request_and_never_hold_answers_or_contact_details(
    log_output, start, db_ruleset, monkeypatch
):
    result_url = journey(start, db_ruleset)
    # An error whose message quotes contact details, as a database error can.
    client = Client(raise_request_exception=False)
    client.cookies = start.cookies
    start.get(reverse("triage:check") + "?reset=1")
    answer_steps(client, db_ruleset, upto="duration")
    error = ValueError("Key (contact_email)=(aroha.ngata@example.co.nz) phone 021 555 0199 already exists")
    monkeypatch.setattr(services, "submission_create", mock.Mock(side_effect=error))
    contact = {"contact_consent": "on", "contact_name": "Aroha Ngata", "contact_phone": "021 555 0199"}
    assert post_step(client, "contact", contact).status_code == 500
    lines = [line for line in log_output.getvalue().splitlines() if line.strip()]

    records = [json.loads(line) for line in lines]  # every line is JSON
    requests = [r for r in records if r.get("event") == "request"]
    assert len(requests) >= 9
    assert {"method", "path", "status", "duration_ms", "request_id"} <= set(requests[0])
    assert any(r["path"] == "/result/<token>/" and r["status"] == 200 for r in requests)
    errors = [r for r in records if r["level"] == "ERROR" and r.get("exc_type") == "ValueError"]
    assert errors and errors[0]["stack"]
    failed = [r for r in requests if r["status"] == 500]
    assert [r["request_id"] for r in failed] == [errors[0]["request_id"]]  # the error ties to its request

    text = "\n".join(lines)
    token = result_url.rstrip("/").rsplit("/", 1)[-1]
    for secret in ["Aroha", "Ngata", "aroha.ngata", "example.co.nz", "021 555 0199", "5550199", token]:
        assert secret not in text
    for question in db_ruleset.questions:
        assert question.code not in text
    assert "reset=1" not in text  # no query strings


def test_a_path_that_holds_contact_details_is_masked_in_the_log(log_output, client, db):
    client.get("/aroha.ngata@example.co.nz/021-555-0199/")
    (line,) = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert line["status"] == 404
    assert line["path"] == "/<email>/<number>/"
    assert "aroha" not in log_output.getvalue()


@pytest.mark.parametrize("path", ["/", "/privacy/", "/healthz"])
def test_head_requests_from_monitors_are_answered(client, db, path):
    assert client.head(path).status_code == 200


def test_a_request_for_an_unknown_host_gets_the_site_400_page(client, db):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Something was wrong with that request" in page
    assert "evil.example.com" not in page and "ALLOWED_HOSTS" not in page


def test_a_forbidden_page_gets_the_site_403_page(rf):
    from django.core.exceptions import PermissionDenied

    from clinic_site.views import permission_denied

    response = permission_denied(rf.get("/"), PermissionDenied("internal reason"))
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()
    assert "internal reason" not in response.content.decode()
