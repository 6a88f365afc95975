"""Which check-ins the scheduler emails, and that it emails each one at most once (tasks inline, real SMTP)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from audit.models import AuditEvent
from followups import services
from followups.models import CheckIn, CheckInStatus
from notifications.models import Notification, NotificationKind
from triage.models import Submission

from .conftest import PATIENT, opted_in, send_followups

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _smtp(smtp_server):
    return smtp_server


def run(capture) -> str:
    with capture(execute=True):
        return send_followups()


def test_a_submission_made_42_days_ago_gets_exactly_one_6_week_email_however_often_the_command_runs(
    ruleset, smtp_server, django_capture_on_commit_callbacks
):
    submission = opted_in(ruleset, days_ago=42)
    first = run(django_capture_on_commit_callbacks)
    second = run(django_capture_on_commit_callbacks)
    assert "1 check-in(s) emailed" in first
    assert "0 check-in(s) emailed" in second
    [checkin] = CheckIn.objects.filter(submission=submission)
    assert (checkin.week, checkin.status) == (6, CheckInStatus.SENT)
    assert checkin.expires_at - checkin.sent_at == timedelta(days=14)
    assert len(smtp_server.to(PATIENT.email)) == 1
    assert Notification.objects.filter(kind=NotificationKind.FOLLOWUP_PATIENT).count() == 1
    assert AuditEvent.objects.filter(target=submission.reference, detail__checkin=6).count() == 1


@pytest.mark.parametrize(
    ("days_ago", "week"),
    [(41.9, None), (42, 6), (55.9, 6), (56.1, None), (83.9, None), (84, 12), (97.9, 12), (98.1, None)],
)
def test_each_check_in_is_due_from_its_week_until_its_14_days_would_be_over(ruleset, days_ago, week):
    opted_in(ruleset, days_ago=days_ago)
    due = services.checkins_due(now=timezone.now())
    assert [w for _s, w in due] == ([week] if week else [])


def test_when_both_check_ins_are_due_at_once_only_the_latest_is_sent(
    ruleset, monkeypatch, django_capture_on_commit_callbacks
):
    # A 60-day window would make week 6 and week 12 overlap, as after a long scheduler outage.
    monkeypatch.setattr(services, "SEND_WINDOW", timedelta(days=60))
    submission = opted_in(ruleset, days_ago=90)
    run(django_capture_on_commit_callbacks)
    assert list(CheckIn.objects.filter(submission=submission).values_list("week", flat=True)) == [12]
    run(django_capture_on_commit_callbacks)
    assert CheckIn.objects.filter(submission=submission).count() == 1


def test_week_12_follows_week_6(ruleset, django_capture_on_commit_callbacks):
    submission = opted_in(ruleset, days_ago=42)
    run(django_capture_on_commit_callbacks)
    Submission.objects.filter(pk=submission.pk).update(created_at=timezone.now() - timedelta(days=84))
    run(django_capture_on_commit_callbacks)
    assert list(CheckIn.objects.filter(submission=submission).values_list("week", flat=True)) == [6, 12]


def test_no_check_in_without_the_opt_in_an_email_or_after_unsubscribing(ruleset):
    no_opt_in = opted_in(ruleset, days_ago=42)
    Submission.objects.filter(pk=no_opt_in.pk).update(followup_consent=False)
    unsubscribed = opted_in(ruleset, days_ago=42)
    Submission.objects.filter(pk=unsubscribed.pk).update(followup_unsubscribed_at=timezone.now())
    deleted = opted_in(ruleset, days_ago=42)
    deleted.delete()
    assert services.checkins_due(now=timezone.now()) == []


def test_dry_run_counts_and_changes_nothing(ruleset, smtp_server, django_capture_on_commit_callbacks):
    opted_in(ruleset, days_ago=42)
    opted_in(ruleset, days_ago=85)
    with django_capture_on_commit_callbacks(execute=True):
        out = send_followups("--dry-run")
    assert "2 check-in(s) due" in out
    assert not CheckIn.objects.exists()
    assert not Notification.objects.exists()
    assert smtp_server.messages == []


def test_a_run_that_lost_the_race_for_a_check_in_sends_nothing_more(
    ruleset, monkeypatch, smtp_server, django_capture_on_commit_callbacks
):
    submission = opted_in(ruleset, days_ago=42)
    # Another run made this check-in between this run's look-up and its insert.
    stale = services.checkins_due(now=timezone.now())
    run(django_capture_on_commit_callbacks)
    monkeypatch.setattr(services, "checkins_due", lambda **kwargs: stale)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.followups_send_due()
    assert (counts.emailed, counts.already) == (0, 1)
    with pytest.raises(IntegrityError):
        services.checkin_send(submission=submission, week=6)
    assert len(smtp_server.messages) == 1


def test_a_check_in_whose_email_cannot_be_logged_is_rolled_back_and_tried_next_run(
    ruleset, monkeypatch, django_capture_on_commit_callbacks
):
    submission = opted_in(ruleset, days_ago=42)
    monkeypatch.setattr(services.emails, "checkin_email_queue", lambda **kwargs: None)
    counts = services.followups_send_due()
    assert counts.failed == 1
    assert not CheckIn.objects.filter(submission=submission).exists()
    monkeypatch.undo()
    run(django_capture_on_commit_callbacks)
    assert CheckIn.objects.filter(submission=submission).count() == 1


def test_expired_check_ins_are_closed_by_the_run_and_their_link_cleared(ruleset, django_capture_on_commit_callbacks):
    submission = opted_in(ruleset, days_ago=42)
    run(django_capture_on_commit_callbacks)
    CheckIn.objects.filter(submission=submission).update(expires_at=timezone.now() - timedelta(minutes=1))
    out = run(django_capture_on_commit_callbacks)
    assert "1 closed (expired)" in out
    checkin = CheckIn.objects.get(submission=submission)
    assert (checkin.status, checkin.nonce) == (CheckInStatus.EXPIRED, "")


def test_the_beat_schedule_runs_the_task_daily(settings):
    from celery.schedules import crontab

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "followups.send_due")
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == {10} and entry["schedule"].minute == {0}


def test_finding_what_is_due_costs_one_query_a_week_and_each_send_a_fixed_number(
    ruleset, django_assert_num_queries, django_assert_max_num_queries
):
    for days in (42, 43, 44, 85, 86):
        opted_in(ruleset, days_ago=days)
    with django_assert_num_queries(2):
        due = services.checkins_due(now=timezone.now())
    assert sorted(week for _s, week in due) == [6, 6, 6, 12, 12]
    submission, week = due[0]
    # The row, the log row (looked up, then made), the audit line and its chain head, savepoints: 12 on both databases.
    with django_assert_max_num_queries(12):
        services.checkin_send(submission=submission, week=week)
