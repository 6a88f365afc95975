"""Check-ins on the clinic's pages: the queue's trajectory column, the submission page's section, the export."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from followups.models import CheckInStatus
from tests.followups.clinic_helpers import checkin, submission_with_peg
from tests.review_helpers import clinician, first_code, staff_user
from triage import scoring
from triage.models import Submission

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:triage_submission_changelist")
EXPORT = reverse("admin:triage_submission_export")


def change_url(submission: Submission) -> str:
    return reverse("admin:triage_submission_change", args=[submission.pk])


@pytest.fixture
def followed(db_ruleset):
    """A self-check with PEG 6: better at 6 weeks (PEG 3, "better", a new warning sign), 12 weeks emailed."""
    submission = submission_with_peg(db_ruleset, peg=(6, 6, 6), disposition="self_care")
    flag = first_code(db_ruleset, scoring.EMERGENCY)
    checkin(submission, week=6, peg=(3, 3, 3), global_change=2, seen="gp", red_flags=[flag])
    checkin(submission, week=12, status=CheckInStatus.SENT)
    return submission


@pytest.fixture
def clinician_client(client, db):
    client.force_login(clinician())
    return client


@pytest.fixture
def reception_client(client, db):
    client.force_login(staff_user("desk", group="Reception", all_clinics=True))
    return client


def test_the_queue_shows_the_latest_trajectory_under_the_pain_figure(clinician_client, followed, db_ruleset):
    submission_with_peg(db_ruleset)  # no check-in
    body = clinician_client.get(CHANGELIST, {"queue": "all"}).content.decode()
    badge = '<span class="ff-trend ff-trend-improved" title="6-week check-in: improved">Better</span>'
    assert f"6.0</span><br>{badge}</td>" in body
    assert body.count("ff-trend ") == 1  # the other row has none


def test_reception_sees_no_trajectory_in_the_queue(reception_client, followed):
    body = reception_client.get(CHANGELIST, {"queue": "all"}).content.decode()
    assert "column-pain" not in body and "ff-trend" not in body


@pytest.mark.parametrize("size", [3, 120])
def test_the_queue_keeps_its_query_budget_with_check_ins(
    clinician_client, db_ruleset, django_assert_max_num_queries, size
):
    call_command("seed_demo", submissions=size, seed=7, days=120, stdout=io.StringIO())
    call_command("seed_checkins", seed=7, share=1, stdout=io.StringIO())
    with django_assert_max_num_queries(8):
        response = clinician_client.get(CHANGELIST, {"queue": "all"})
    assert response.status_code == 200


def test_the_submission_page_shows_its_check_ins(clinician_client, followed, db_ruleset):
    body = clinician_client.get(change_url(followed)).content.decode()
    assert 'id="ff-checkins-heading">Follow-up check-ins</h2>' in body
    assert "6 weeks" in body and "12 weeks" in body
    assert "6.0 → <strong>3.0</strong>" in body  # PEG then and now
    assert "Better</span>" in body  # the trajectory badge
    assert "A GP (doctor)" in body
    flag = db_ruleset.by_code[first_code(db_ruleset, scoring.EMERGENCY)]
    assert "New warning signs at 6 weeks" in body and (flag.summary or flag.text) in body
    assert "Not answered." in body  # the 12-week one, emailed


def test_a_submission_that_agreed_to_check_ins_says_when_the_first_is_due(clinician_client, db_ruleset):
    submission = submission_with_peg(db_ruleset)
    body = clinician_client.get(change_url(submission)).content.decode()
    assert "Agreed to check-in emails at 6 and 12 weeks" in body
    assert "The first is emailed around" in body


def test_a_submission_without_check_ins_or_consent_has_no_section(clinician_client, db_ruleset):
    from tests.review_helpers import make_submission

    body = clinician_client.get(change_url(make_submission(db_ruleset))).content.decode()
    assert 'id="ff-checkins-heading"' not in body


def test_reception_does_not_see_the_check_ins_on_the_page(reception_client, followed):
    body = reception_client.get(change_url(followed)).content.decode()
    assert 'id="ff-checkins-heading"' not in body and "PEG" not in body


def test_the_export_has_the_check_in_columns(clinician_client, followed):
    body = b"".join(clinician_client.get(EXPORT).streaming_content).decode()
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert (row["checkin_6_status"], row["checkin_6_peg"], row["checkin_6_global_change"]) == ("answered", "3.0", "2")
    assert row["checkin_6_trajectory"] == "improved"
    assert (row["checkin_12_status"], row["checkin_12_peg"], row["checkin_12_trajectory"]) == ("sent", "", "")
