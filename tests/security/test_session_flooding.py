"""Issue 14, attack 1: filling the disk through the session table, and the limits that stop it.

The attack: a step POST with valid answers plus a 1.8 MB junk field got a 302
and a 2.4 MB session row, because formtools kept the raw POST.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.conftest import all_answers
from triage import scoring
from triage.models import Submission

pytestmark = pytest.mark.django_db

# The safety step asks red flags, then context (issue 11).
SAFETY_STEP = scoring.SAFETY_KINDS
JUNK_1_8_MB = "x" * (1_800_000)


def step_url(step: str) -> str:
    return reverse("triage:check_step", kwargs={"step": step})


def safety_post(ruleset, *, yes: set[str] = frozenset(), **extra: str) -> dict[str, str]:
    data = {f"safety-{code}": value for code, value in all_answers(ruleset, SAFETY_STEP, yes).items()}
    data["self_check_wizard-current_step"] = "safety"
    data.update(extra)
    return data


def session_row_size(client: Client) -> int:
    return len(Session.objects.get(session_key=client.session.session_key).session_data)


@pytest.fixture
def started(client):
    assert client.get(reverse("triage:check") + "?reset=1").status_code == 302
    return client


def test_a_step_post_with_a_1_8_mb_junk_field_gets_a_413_and_the_session_does_not_grow(started, db_ruleset):
    before = session_row_size(started)
    response = started.post(step_url("safety"), safety_post(db_ruleset, junk=JUNK_1_8_MB))
    assert response.status_code == 413
    assert b"more than this page can take" in response.content
    assert b"Traceback" not in response.content
    assert session_row_size(started) == before
    assert started.session["wizard_self_check_wizard"]["step_data"] == {}


def test_the_413_is_refused_before_a_session_is_created(client, db_ruleset):
    response = client.post(step_url("safety"), safety_post(db_ruleset, junk=JUNK_1_8_MB))
    assert response.status_code == 413
    assert Session.objects.count() == 0


def test_junk_fields_within_the_cap_are_not_stored_and_the_session_row_stays_small(started, db_ruleset):
    junk = "y" * 6000
    data = safety_post(
        db_ruleset,
        junk=junk,  # a key of no step
        **{"safety-junk": junk, "symptoms-groin_pain": junk, "self_check_wizard-junk": junk},
    )
    body = urlencode(data)
    assert len(body) < settings.PATIENT_MAX_BODY_BYTES
    response = started.post(step_url("safety"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    stored = started.session["wizard_self_check_wizard"]["step_data"]["safety"]
    expected = {f"safety-{q.code}" for q in db_ruleset.questions_of_kind(*SAFETY_STEP)}
    assert set(stored) == expected | {"self_check_wizard-current_step"}
    assert session_row_size(started) < 2048


def test_a_repeated_answer_key_is_stored_once(started, db_ruleset):
    code = db_ruleset.questions_of_kind(*SAFETY_STEP)[0].code
    body = urlencode(safety_post(db_ruleset)) + f"&safety-{code}=no" * 900
    assert len(body) < settings.PATIENT_MAX_BODY_BYTES
    response = started.post(step_url("safety"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert started.session["wizard_self_check_wizard"]["step_data"]["safety"][f"safety-{code}"] == ["no"]
    assert session_row_size(started) < 2048


def test_the_largest_honest_step_post_fits_the_cap_four_times_over(started, db_ruleset):
    """The contact step with every field at its longest, in multi-byte letters, plus a CSRF token."""
    name = "Ōtautahi Ngāti " * 7  # 105 characters: more than the name allows, each ā two bytes
    data = {
        "csrfmiddlewaretoken": "t" * 64,
        "self_check_wizard-current_step": "contact",
        "contact-clinic": "999999",
        "contact-contact_consent": "on",
        "contact-contact_name": name[:100],
        "contact-contact_email": ("é" * 64) + "@" + ("ü" * 63 + ".") * 3 + "nz",
        "contact-contact_phone": "+64 (21) 123-4567 " * 2,
    }
    largest_yes_no = {f"symptoms-{q.code}": "yes" for q in db_ruleset.questions} | {"csrfmiddlewaretoken": "t" * 64}
    biggest = max(len(urlencode(data)), len(urlencode(largest_yes_no)))
    assert biggest * 4 < settings.PATIENT_MAX_BODY_BYTES


def test_an_api_body_limit_when_set_answers_with_json_413(client, settings):
    settings.REQUEST_BODY_LIMITS = [("/api/", 64 * 1024), ("/", settings.PATIENT_MAX_BODY_BYTES)]
    response = client.post(
        "/api/v1/submissions", '{"answers": {"x": "' + "x" * 100_000 + '"}}', content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "body_too_large"


def test_step_posts_over_the_limit_get_a_429_that_keeps_the_answers(started, db_ruleset, settings):
    settings.TRIAGE_STEP_RATE_LIMIT = (1, 3600)
    assert started.post(step_url("safety"), safety_post(db_ruleset)).status_code == 302
    symptoms = {f"symptoms-{q.code}": "yes" for q in db_ruleset.questions_of_kind(scoring.SYMPTOM)}
    response = started.post(step_url("symptoms"), {**symptoms, "self_check_wizard-current_step": "symptoms"})
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert b"Your answers are still on this page" in response.content
    html = response.content.decode()
    code = db_ruleset.questions_of_kind(scoring.SYMPTOM)[0].code
    assert f'name="symptoms-{code}" value="yes"' in html
    assert "checked" in html.split(f'name="symptoms-{code}" value="yes"')[1].split(">")[0]
    # The earlier step is still stored, the rate-limited one is not.
    step_data = started.session["wizard_self_check_wizard"]["step_data"]
    assert set(step_data) == {"safety"}


def test_a_red_flag_on_a_rate_limited_safety_step_still_shows_what_to_do(started, db_ruleset, settings):
    settings.TRIAGE_STEP_RATE_LIMIT = (0, 3600)
    emergency = db_ruleset.questions_of_kind(scoring.EMERGENCY)[0].code
    response = started.post(step_url("safety"), safety_post(db_ruleset, yes={emergency}))
    assert response.status_code == 429
    assert b"disposition-emergency" in response.content
    assert Submission.objects.count() == 0


def test_new_questionnaire_sessions_over_the_limit_get_a_429_and_no_session_row(db_ruleset, settings):
    settings.TRIAGE_NEW_SESSION_RATE_LIMIT = (3, 3600)
    for _ in range(3):
        assert Client().get(reverse("triage:check") + "?reset=1").status_code == 302
    assert Session.objects.count() == 3
    response = Client().get(reverse("triage:check") + "?reset=1")
    assert response.status_code == 429
    assert b"started from your internet connection" in response.content
    assert Session.objects.count() == 3


def test_a_browser_with_a_session_is_not_counted_as_new(started, db_ruleset, settings):
    settings.TRIAGE_NEW_SESSION_RATE_LIMIT = (0, 3600)
    assert started.get(step_url("safety")).status_code == 200
    assert started.post(step_url("safety"), safety_post(db_ruleset)).status_code == 302


def test_sessions_expire_within_two_hours_and_at_browser_close(started):
    assert settings.SESSION_COOKIE_AGE <= 2 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    row = Session.objects.get(session_key=started.session.session_key)
    from django.utils import timezone

    assert (row.expire_date - timezone.now()).total_seconds() <= settings.SESSION_COOKIE_AGE
