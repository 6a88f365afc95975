"""The review workflow's rules and what each change records."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError

from audit.actor import Actor
from audit.models import AuditAction, AuditEvent
from review import services
from review.models import Outcome, StatusChange
from review.workflow import TRANSITIONS, transition_check
from tests.review_helpers import clinician, make_submission
from triage.models import Condition, ReviewStatus, Submission

S = ReviewStatus
ALL_MOVES = [(a, b) for a in S.values for b in S.values if a != b]


@pytest.mark.parametrize(("from_status", "to_status"), ALL_MOVES)
def test_every_move_is_either_allowed_or_refused_with_a_coded_error(from_status, to_status):
    reason = "Better seen by their GP"
    if to_status in TRANSITIONS[from_status]:
        transition_check(from_status=from_status, to_status=to_status, reason=reason)
    else:
        with pytest.raises(ValidationError) as caught:
            transition_check(from_status=from_status, to_status=to_status, reason=reason)
        assert caught.value.code == "invalid_transition"
        assert "cannot go from" in caught.value.messages[0]


def test_the_main_path_runs_new_to_closed():
    path = [S.NEW, S.IN_REVIEW, S.CONTACTED, S.BOOKED, S.CLOSED]
    for before, after in itertools.pairwise(path):
        transition_check(from_status=before, to_status=after)


def test_not_appropriate_needs_a_reason():
    with pytest.raises(ValidationError) as caught:
        transition_check(from_status=S.IN_REVIEW, to_status=S.NOT_APPROPRIATE, reason="  ")
    assert caught.value.code == "reason_required"


def test_an_unknown_status_is_refused():
    with pytest.raises(ValidationError) as caught:
        transition_check(from_status=S.NEW, to_status="lost")
    assert caught.value.code == "unknown_status"


def test_a_status_change_records_who_when_from_to_and_audits_it(db_ruleset):
    user = clinician()
    submission = make_submission(db_ruleset)
    services.submission_status_change(submission=submission, to_status=S.IN_REVIEW, actor=Actor(user=user))
    change = services.submission_status_change(
        submission=submission, to_status=S.NOT_APPROPRIATE, actor=Actor(user=user), reason="Lives overseas"
    )
    submission.refresh_from_db()
    assert submission.status == S.NOT_APPROPRIATE
    assert submission.not_appropriate_reason == "Lives overseas"
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        S.IN_REVIEW,
        S.NOT_APPROPRIATE,
        user,
        "Lives overseas",
    )
    assert change.changed_at is not None
    events = AuditEvent.objects.filter(action=AuditAction.CHANGE, target=submission.reference)
    assert events.count() == 2
    assert events.first().actor_label == user.username
    assert all(event.detail["status"] for event in events)


def test_an_invalid_status_change_changes_nothing(db_ruleset):
    submission = make_submission(db_ruleset)
    with pytest.raises(ValidationError):
        services.submission_status_change(submission=submission, to_status=S.BOOKED, actor=Actor(user=clinician()))
    assert Submission.objects.get(pk=submission.pk).status == S.NEW
    assert not StatusChange.objects.exists()


def test_the_workflow_checks_the_stored_status_not_a_stale_copy(db_ruleset):
    user = clinician()
    submission = make_submission(db_ruleset)
    stale = Submission.objects.get(pk=submission.pk)
    services.submission_status_change(submission=submission, to_status=S.IN_REVIEW, actor=Actor(user=user))
    # Someone else already moved it: "new -> in review" again is refused.
    with pytest.raises(ValidationError):
        services.submission_status_change(submission=stale, to_status=S.IN_REVIEW, actor=Actor(user=user))
    assert StatusChange.objects.count() == 1


def test_assigning_a_new_submission_takes_it_into_review(db_ruleset):
    user = clinician()
    submission = make_submission(db_ruleset)
    services.submission_assign(submission=submission, assignee=user, actor=Actor(user=user))
    submission.refresh_from_db()
    assert submission.assigned_to == user
    assert submission.status == S.IN_REVIEW


def test_a_submission_keeps_no_history_table_of_its_own():
    """Status moves are StatusChanges and assignments are in the audit trail: no third copy."""
    from django.apps import apps

    assert not hasattr(Submission, "history")
    assert "historicalsubmission" not in {model._meta.model_name for model in apps.get_models()}


def test_assigning_is_audited_with_the_old_and_new_assignee(db_ruleset):
    user = clinician()
    submission = make_submission(db_ruleset)
    services.submission_assign(submission=submission, assignee=user, actor=Actor(user=user, ip="192.0.2.7"))
    event = AuditEvent.objects.get(target=submission.reference, detail__has_key="assigned_to")
    assert (event.actor, event.ip_address, event.detail["assigned_to"]) == (user, "192.0.2.7", [None, user.pk])


def test_notes_are_appended_with_author_and_audited(db_ruleset):
    user = clinician()
    submission = make_submission(db_ruleset)
    note = services.note_add(submission=submission, text="  Left a voicemail.  ", actor=Actor(user=user))
    assert (note.text, note.author) == ("Left a voicemail.", user)
    assert AuditEvent.objects.filter(target=submission.reference, detail__note_added=note.pk).exists()


def test_an_empty_note_is_refused(db_ruleset):
    with pytest.raises(ValidationError) as caught:
        services.note_add(submission=make_submission(db_ruleset), text="   ", actor=Actor(user=clinician()))
    assert caught.value.code == "empty_note"


def test_an_outcome_records_conditions_found_and_can_be_corrected_with_history(db_ruleset):
    user = clinician()
    submission = make_submission(db_ruleset)
    bursitis = Condition.objects.get(pk="hip-bursitis")
    services.outcome_record(
        submission=submission, conditions=[bursitis], detail="Tender over the hip", actor=Actor(user=user)
    )
    services.outcome_record(
        submission=submission, conditions=[], other=True, detail="Hamstring tear", actor=Actor(user=user)
    )
    outcome = Outcome.objects.get(submission=submission)
    assert outcome.other and not outcome.none_found
    assert list(outcome.conditions.all()) == []
    assert outcome.detail == "Hamstring tear"
    assert outcome.recorded_by == user
    # Each save (and each change to the conditions found) is kept.
    assert next(h.detail for h in outcome.history.order_by("history_date")) == "Tender over the hip"
    assert outcome.history.latest("history_date").detail == "Hamstring tear"


@pytest.mark.parametrize(
    ("conditions", "other", "none_found", "code"),
    [
        ([], False, False, "empty_outcome"),
        (["hip-bursitis"], False, True, "none_and_found"),
        ([], True, True, "none_and_found"),
    ],
)
def test_an_outcome_must_say_something_and_not_contradict_itself(db_ruleset, conditions, other, none_found, code):
    with pytest.raises(ValidationError) as caught:
        services.outcome_record(
            submission=make_submission(db_ruleset),
            conditions=Condition.objects.filter(pk__in=conditions),
            other=other,
            none_found=none_found,
            actor=Actor(user=clinician()),
        )
    assert caught.value.code == code
    assert not Outcome.objects.exists()


def test_deleting_a_submission_leaves_no_review_history_behind(db_ruleset):
    user = clinician()
    submission = make_submission(db_ruleset)
    services.submission_status_change(submission=submission, to_status=S.IN_REVIEW, actor=Actor(user=user))
    services.note_add(submission=submission, text="Called", actor=Actor(user=user))
    services.outcome_record(
        submission=submission, conditions=Condition.objects.filter(pk="sciatica"), detail="L5", actor=Actor(user=user)
    )
    Submission.objects.filter(pk=submission.pk).delete()  # as the retention purge does
    assert not Outcome.history.exists()
    from django.apps import apps

    assert not apps.get_model("review", "HistoricalOutcome_conditions").objects.exists()
    assert not StatusChange.objects.exists()
