"""Headers, CSRF, admin lockout and the submission rate limit (on the real Redis)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from audit.actor import client_ip
from tests.conftest import all_answers
from tests.triage.test_views import SAFETY_STEP, answer_steps, post_step, step_url
from triage import ratelimit
from triage.models import Submission

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def start(client):
    client.get(reverse("triage:check") + "?reset=1")
    return client


def test_pages_send_a_strict_content_security_policy(client):
    csp = client.get(reverse("triage:landing"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.mark.parametrize("path", ["/", "/check/safety/", "/privacy/", "/no-such-page/", "/admin/login/"])
def test_every_page_sends_the_security_headers(client, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response


def test_pages_with_answers_are_never_cached(start, db_ruleset):
    response = answer_steps(start, db_ruleset)
    assert start.get(response["Location"])["Cache-Control"] == "no-store"
    assert start.get(step_url("safety"))["Cache-Control"] == "no-store"


def test_no_template_has_inline_script_or_style():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or "<style" in text or re.search(r"\sstyle=", text):
            offenders.append(str(template.relative_to(ROOT)))
        if re.search(r"\son[a-z]+=", text):  # onclick= and friends are inline script too
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def test_forms_refuse_a_post_without_a_csrf_token_with_a_friendly_page(db_ruleset):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("triage:check") + "?reset=1")
    response = post_step(client, "safety", all_answers(db_ruleset, SAFETY_STEP))
    assert response.status_code == 403
    assert "Your page was out of date" in response.content.decode()
    assert Submission.objects.count() == 0


def test_every_patient_form_carries_a_csrf_token(start, db_ruleset):
    assert 'name="csrfmiddlewaretoken"' in start.get(step_url("safety")).content.decode()
    location = answer_steps(start, db_ruleset)["Location"]
    delete_page = start.get(location + "delete/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in delete_page


def test_admin_login_does_not_redirect_off_site(admin_user):
    client = Client()
    response = client.post(
        reverse("admin:login") + "?next=https://evil.example.com/",
        {"username": "admin", "password": "password", "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example.com")


# --- Admin sign-in lockout (django-axes) ----------------------------------------------


def sign_in(client: Client, username: str, password: str, ip: str = "203.0.113.5"):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def staff(settings, django_user_model):
    """Two staff accounts, hashed quickly: these tests check a dozen passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_superuser("admin", "admin@example.com", "password")
    django_user_model.objects.create_user("nurse", password="nurse-password-123", is_staff=True)


def test_five_wrong_passwords_lock_that_user_out_from_that_address_for_an_hour(staff):
    client = Client()
    for _attempt in range(4):
        assert sign_in(client, "admin", "wrong").status_code == 200  # the normal "try again" form
    response = sign_in(client, "admin", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in is locked for now" in page and "one hour" in page and "5 unsuccessful attempts" in page
    # Even the right password is refused while locked out.
    assert sign_in(client, "admin", "password").status_code == 429


def test_a_lockout_holds_for_that_address_and_not_for_others(staff):
    for _attempt in range(5):
        sign_in(Client(), "admin", "wrong")
    assert sign_in(Client(), "admin", "wrong").status_code == 429
    # The same user from another address can still sign in; from the locked
    # address no one can (failures also count per address: password spraying).
    assert sign_in(Client(), "admin", "password", ip="198.51.100.7").status_code == 302
    assert sign_in(Client(), "nurse", "nurse-password-123").status_code == 429


def test_lockout_adds_no_queries_to_patient_pages(client, db_ruleset, django_assert_num_queries):
    client.get(reverse("triage:landing"))
    with django_assert_num_queries(0):
        assert client.get(reverse("triage:privacy")).status_code == 200


# --- Submission rate limit on the real Redis ---------------------------------------------


def test_the_submission_rate_limit_counts_in_redis(redis_cache, rf, settings):
    redis_client, prefix = redis_cache
    settings.TRIAGE_SUBMISSION_RATE_LIMIT = (2, 60)
    request = rf.post("/", REMOTE_ADDR="192.0.2.44")
    assert [ratelimit.submission_rate_limited(request) for _ in range(3)] == [False, False, True]
    keys = [key.decode() for key in redis_client.scan_iter(f"{prefix}:*")]
    assert keys == [f"{prefix}:1:rl:submission:{client_ip(request)}"]
    assert 0 < redis_client.ttl(keys[0]) <= 60


def test_too_many_submissions_get_a_friendly_429_and_keep_the_answers(redis_cache, start, db_ruleset, settings):
    settings.TRIAGE_SUBMISSION_RATE_LIMIT = (2, 3600)
    for _run in range(2):
        start.get(reverse("triage:check") + "?reset=1")
        assert answer_steps(start, db_ruleset).status_code == 302
    start.get(reverse("triage:check") + "?reset=1")
    response = answer_steps(start, db_ruleset, yes={"groin_pain"})
    assert response.status_code == 429
    assert "Please wait a little before trying again" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert Submission.objects.count() == 2
    # Nothing was lost: once the window has passed (the counter cleared), the same submit goes through.
    redis_client, prefix = redis_cache
    for key in redis_client.scan_iter(f"{prefix}:*"):
        redis_client.delete(key)
    response = post_step(start, "contact", {})
    assert response.status_code == 302
    assert Submission.objects.latest("created_at").answers["groin_pain"] is True


def test_a_rate_limited_red_flag_still_says_what_to_do_now(redis_cache, start, db_ruleset, settings):
    settings.TRIAGE_SUBMISSION_RATE_LIMIT = (0, 3600)
    response = post_step(start, "safety", all_answers(db_ruleset, SAFETY_STEP, {"saddle_numbness"}))
    assert response.status_code == 429
    page = response.content.decode()
    assert "Call 111 now" in page
    assert Submission.objects.count() == 0


def test_rate_limits_are_per_client_address(redis_cache, start, db_ruleset, settings):
    settings.TRIAGE_SUBMISSION_RATE_LIMIT = (1, 3600)
    assert answer_steps(start, db_ruleset).status_code == 302
    other = Client(REMOTE_ADDR="192.0.2.99")
    other.get(reverse("triage:check") + "?reset=1")
    assert answer_steps(other, db_ruleset).status_code == 302
    start.get(reverse("triage:check") + "?reset=1")
    assert answer_steps(start, db_ruleset).status_code == 429
