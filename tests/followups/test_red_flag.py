"""A check-in with a new warning sign: the urgent advice at once, and the clinic told (reference and link only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from followups import services
from followups.models import CheckIn
from notifications.models import Notification, NotificationKind, NotificationStatus
from triage import scoring
from triage.models import Clinic

from .conftest import health_details, link_path, opted_in
from .test_checkin_page import ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(db) -> Clinic:
    clinic = Clinic.objects.order_by("pk").first()
    clinic.notify_email = "ponsonby@clinic.example"
    clinic.save()
    return clinic


@pytest.fixture
def checkin(ruleset, clinic) -> CheckIn:
    return services.checkin_send(submission=opted_in(ruleset, days_ago=42, clinic=clinic), week=6)


@pytest.mark.parametrize(
    ("kind", "disposition", "advice"),
    [
        (scoring.EMERGENCY, "emergency", "Call 111 now, or go to the nearest emergency department"),
        (scoring.DOCTOR_TODAY, "see_doctor_today", "See a doctor today"),
    ],
)
def test_a_new_warning_sign_gets_the_questionnaires_urgent_advice_and_tells_the_clinic(
    client, ruleset, checkin, smtp_server, django_capture_on_commit_callbacks, kind, disposition, advice
):
    code = ruleset.questions_of_kind(kind)[0].code
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link_path(checkin), {**ANSWERS, "ticked": [code]})
    checkin.refresh_from_db()
    assert (checkin.red_flags, checkin.disposition) == ([code], disposition)
    page = client.get(response["Location"]).content.decode()
    assert advice in page
    assert page.index(advice) < page.index("Thank you for your answers")
    [email] = smtp_server.to("ponsonby@clinic.example")
    text = f"{email['Subject']}\n{email.get_content()}"
    submission = checkin.submission
    assert submission.reference in text
    assert reverse("admin:triage_submission_change", args=[submission.pk]) in text
    forbidden = [*health_details(ruleset, submission), *(c.name for c in ruleset.conditions)]
    forbidden += [q.summary for q in ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY)]
    assert [word for word in forbidden if word.lower() in text.lower()] == []
    log = Notification.objects.get(kind=NotificationKind.FOLLOWUP_RED_FLAG_CLINIC)
    assert (log.status, log.submission_id) == (NotificationStatus.SENT, submission.pk)


def test_an_emergency_sign_outranks_a_see_a_doctor_today_sign(ruleset):
    codes = (
        ruleset.questions_of_kind(scoring.EMERGENCY)[0].code,
        ruleset.questions_of_kind(scoring.DOCTOR_TODAY)[0].code,
    )
    assert services.red_flag_disposition(ruleset=ruleset, red_flags=codes) == "emergency"
    assert services.red_flag_disposition(ruleset=ruleset, red_flags=()) == ""
