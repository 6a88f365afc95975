"""A check-in with a new warning sign puts its self-check back on the call list."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from followups import services as followups
from review.models import StatusChange
from review.selectors.queue import queue_needs_action
from tests.followups.conftest import link_path, opted_in
from tests.followups.test_checkin_page import ANSWERS
from triage import scoring
from triage.models import ReviewStatus, Submission

pytestmark = pytest.mark.django_db


def answer(client, ruleset, checkin, *, ticked, capture) -> None:
    with capture(execute=True):
        response = client.post(link_path(checkin), {**ANSWERS, "ticked": ticked})
    assert response.status_code == 302


def closed_with_checkin(ruleset, status: str = ReviewStatus.CLOSED):
    submission = opted_in(ruleset, days_ago=42)
    Submission.objects.filter(pk=submission.pk).update(status=status)
    return followups.checkin_send(submission=submission, week=6)


@pytest.mark.parametrize("status", [ReviewStatus.CLOSED, ReviewStatus.CONTACTED, ReviewStatus.BOOKED])
def test_a_new_warning_sign_reopens_a_closed_or_followed_up_self_check(
    client, db_ruleset, django_capture_on_commit_callbacks, status
):
    checkin = closed_with_checkin(db_ruleset, status)
    code = db_ruleset.questions_of_kind(scoring.EMERGENCY)[0].code
    answer(client, db_ruleset, checkin, ticked=[code], capture=django_capture_on_commit_callbacks)
    submission = Submission.objects.get(pk=checkin.submission_id)
    assert submission.status == ReviewStatus.IN_REVIEW
    assert queue_needs_action(queryset=Submission.objects.all()).filter(pk=submission.pk).exists()
    change = StatusChange.objects.get(submission=submission)
    assert (change.from_status, change.to_status, change.changed_by) == (status, ReviewStatus.IN_REVIEW, None)
    assert "6-week check-in" in change.reason
    event = AuditEvent.objects.filter(target=submission.reference).latest("pk")
    assert event.detail["status"] == [status, ReviewStatus.IN_REVIEW] and event.actor_id is None


def test_a_self_check_that_already_needs_action_is_left_as_it_is(
    client, db_ruleset, django_capture_on_commit_callbacks
):
    checkin = closed_with_checkin(db_ruleset, ReviewStatus.NEW)
    code = db_ruleset.questions_of_kind(scoring.DOCTOR_TODAY)[0].code
    answer(client, db_ruleset, checkin, ticked=[code], capture=django_capture_on_commit_callbacks)
    assert Submission.objects.get(pk=checkin.submission_id).status == ReviewStatus.NEW
    assert not StatusChange.objects.exists()


def test_a_check_in_without_a_warning_sign_reopens_nothing(client, db_ruleset, django_capture_on_commit_callbacks):
    checkin = closed_with_checkin(db_ruleset)
    answer(client, db_ruleset, checkin, ticked=["none"], capture=django_capture_on_commit_callbacks)
    assert Submission.objects.get(pk=checkin.submission_id).status == ReviewStatus.CLOSED
    assert not StatusChange.objects.exists()


def test_the_timeline_names_the_self_check_as_the_one_who_reopened_it(
    client, admin_client, db_ruleset, django_capture_on_commit_callbacks
):
    checkin = closed_with_checkin(db_ruleset)
    code = db_ruleset.questions_of_kind(scoring.EMERGENCY)[0].code
    answer(client, db_ruleset, checkin, ticked=[code], capture=django_capture_on_commit_callbacks)
    page = admin_client.get(f"/admin/triage/submission/{checkin.submission_id}/change/").content.decode()
    assert "the self-check (a check-in)" in page


def test_a_failing_receiver_never_loses_the_patients_answer(client, db_ruleset, django_capture_on_commit_callbacks):
    from followups.signals import checkin_red_flag

    def broken(sender, **kwargs):
        raise RuntimeError("a receiver that fails")

    checkin_red_flag.connect(broken, dispatch_uid="test-broken")
    try:
        checkin = closed_with_checkin(db_ruleset)
        code = db_ruleset.questions_of_kind(scoring.EMERGENCY)[0].code
        answer(client, db_ruleset, checkin, ticked=[code], capture=django_capture_on_commit_callbacks)
    finally:
        checkin_red_flag.disconnect(dispatch_uid="test-broken")
    checkin.refresh_from_db()
    assert checkin.status == "answered" and checkin.red_flags == [code]
    # The other receiver (review's) still ran.
    assert Submission.objects.get(pk=checkin.submission_id).status == ReviewStatus.IN_REVIEW
