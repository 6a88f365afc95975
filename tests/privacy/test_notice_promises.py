"""The privacy notice's promises, one test each (issue 14, item 7).

templates/triage/privacy.html and the collection notice promise:
1. answers without contact details are deleted after 180 days, whatever the
   clinic's status says about them (not appropriate, in review);
2. answers where the person asked to be contacted, or that the clinic
   followed up, are kept as a health record for 10 years;
3. every time staff look at answers it is recorded: a submission's page
   (tests/review/test_admin.py), a queue search, the dashboard, the outcome
   history, the publish preview (tests/privacy/test_editor_preview.py) and
   the FHIR export (tests/interop);
4. every change, export and delete is recorded (tests/review, tests/privacy);
5. without the consent tick no name, email or phone is kept (the database
   constraint, tests/triage);
6. "Delete my answers" deletes them (tests/privacy/test_privacy.py), and
   nothing in the audit trail names them afterwards (test_audit_trail.py).
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tests.review_helpers import clinician, make_submission, superuser
from triage.models import ReviewStatus, Submission
from triage.services import ContactDetails

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:triage_submission_changelist")


def aged(submission: Submission, *, days: int, status: str = ReviewStatus.NEW) -> Submission:
    Submission.objects.filter(pk=submission.pk).update(created_at=timezone.now() - timedelta(days=days), status=status)
    return submission


def purge() -> None:
    call_command("purge_submissions", stdout=StringIO())


def test_the_notice_states_180_days_for_answers_without_contact_details(client, settings):
    settings.TRIAGE_RETENTION_DAYS = {"anonymous": 180, "follow_up": 3653}
    page = client.get(reverse("triage:privacy")).content.decode()
    assert "Answers without contact details are deleted after 180 days" in page


@pytest.mark.parametrize("status", [ReviewStatus.NEW, ReviewStatus.IN_REVIEW, ReviewStatus.NOT_APPROPRIATE])
def test_anonymous_answers_go_after_180_days_whatever_their_review_status(db_ruleset, settings, status):
    settings.TRIAGE_RETENTION_DAYS = {"anonymous": 180, "follow_up": 3653}
    old = aged(make_submission(db_ruleset), days=181, status=status)
    young = aged(make_submission(db_ruleset), days=179, status=status)
    purge()
    assert not Submission.objects.filter(pk=old.pk).exists()
    assert Submission.objects.filter(pk=young.pk).exists()


@pytest.mark.parametrize("status", [ReviewStatus.CONTACTED, ReviewStatus.BOOKED, ReviewStatus.CLOSED])
def test_answers_the_clinic_followed_up_are_kept_as_a_health_record(db_ruleset, settings, status):
    settings.TRIAGE_RETENTION_DAYS = {"anonymous": 180, "follow_up": 3653}
    followed = aged(make_submission(db_ruleset), days=400, status=status)
    consented = aged(make_submission(db_ruleset, contact=ContactDetails(name="Sam", phone="021 1234567")), days=400)
    purge()
    assert Submission.objects.filter(pk__in=[followed.pk, consented.pk]).count() == 2


@pytest.mark.parametrize(
    ("term", "kind"),
    [("Aroha Smith", "name"), ("021 555 1234", "phone"), ("aroha@example.com", "email")],
)
def test_a_queue_search_is_recorded_by_kind_without_what_was_typed(client, db_ruleset, term, kind):
    client.force_login(clinician())
    client.get(CHANGELIST, {"q": term})
    event = AuditEvent.objects.get(action="view")
    assert (event.target, event.detail, event.actor_label) == ("queue search", {"search": kind}, "clinician")
    assert term not in str(event.target) + str(event.detail)


def test_a_reference_search_is_recorded_against_that_reference(client, db_ruleset):
    submission = make_submission(db_ruleset)
    client.force_login(clinician())
    client.get(CHANGELIST, {"q": submission.reference.lower()})
    assert AuditEvent.objects.get(action="view").target == submission.reference


def test_opening_the_queue_without_searching_is_not_a_search(client, db_ruleset):
    client.force_login(clinician())
    client.get(CHANGELIST)
    assert not AuditEvent.objects.exists()


def test_looking_at_the_dashboard_is_recorded(client, db_ruleset):
    client.force_login(clinician())
    client.get(reverse("admin:triage_submission_dashboard"))
    assert AuditEvent.objects.filter(action="view", target="dashboard", actor_label="clinician").exists()


def test_looking_at_the_outcome_history_is_recorded(client, db_ruleset):
    client.force_login(superuser())
    client.get(reverse("admin:review_historicaloutcome_changelist"))
    assert AuditEvent.objects.filter(action="view", target="outcome history", actor_label="boss").exists()
