"""Health information does not outlive the submission in the audit trail (issue 14, item 4)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.actor import Actor
from audit.chain import anonymised_target
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from review import services as review_services
from tests.review_helpers import clinician, make_submission, superuser
from triage import services
from triage.models import ReviewStatus, Submission

pytestmark = pytest.mark.django_db

HEALTH_TEXT = "history of cancer, GP referral"


def test_a_status_reason_is_kept_as_a_changed_field_never_as_text(db_ruleset):
    submission = make_submission(db_ruleset)
    user = clinician()
    review_services.submission_status_change(
        submission=submission, to_status=ReviewStatus.NOT_APPROPRIATE, reason=HEALTH_TEXT, actor=Actor(user=user)
    )
    event = AuditEvent.objects.get(action="change")
    assert event.detail == {
        "status": ["new", "not_appropriate"],
        "fields": ["status", "not_appropriate_reason", "reason"],
    }
    assert not any(HEALTH_TEXT in str(detail) for detail in AuditEvent.objects.values_list("detail", flat=True))


def test_an_outcome_is_audited_without_what_was_found(db_ruleset):
    submission = make_submission(db_ruleset)
    review_services.outcome_record(
        submission=submission, conditions=[], other=True, detail=HEALTH_TEXT, actor=Actor(user=clinician())
    )
    assert AuditEvent.objects.get(action="change").detail == {"fields": ["outcome"]}


def test_deleting_a_submission_anonymises_every_event_about_it_and_drops_the_ips(client, db_ruleset):
    submission = make_submission(db_ruleset)
    client.force_login(superuser())
    change = reverse("admin:triage_submission_change", args=[submission.pk])
    client.get(change, REMOTE_ADDR="198.51.100.7")
    review_services.submission_status_change(
        submission=submission,
        to_status=ReviewStatus.NOT_APPROPRIATE,
        reason=HEALTH_TEXT,
        actor=Actor(user=clinician(), ip="198.51.100.8"),
    )
    services.submission_delete(
        submission=submission, actor=Actor(ip="203.0.113.1", anonymous_label="patient"), reason="x"
    )
    assert not AuditEvent.objects.filter(target=submission.reference).exists()
    about = AuditEvent.objects.filter(target=anonymised_target(submission.reference))
    assert set(about.values_list("action", flat=True)) == {"view", "change", "delete"}
    assert not about.filter(ip_address__isnull=False).exists()
    assert audit_chain_verify().ok


def test_the_purge_anonymises_what_the_trail_holds_about_purged_submissions(db_ruleset, settings):
    settings.TRIAGE_RETENTION_DAYS = {"anonymous": 180, "follow_up": 3653}
    old = make_submission(db_ruleset)
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=181))
    from audit.services import audit_record

    audit_record(action="view", target=old.reference, actor=Actor(user=clinician(), ip="198.51.100.9"))
    call_command("purge_submissions", stdout=StringIO())
    assert not Submission.objects.filter(pk=old.pk).exists()
    assert not AuditEvent.objects.filter(target=old.reference).exists()
    view = AuditEvent.objects.get(action="view")
    assert view.target == anonymised_target(old.reference) and view.ip_address is None
    assert audit_chain_verify().ok


def test_the_purge_clears_audit_ips_older_than_the_stated_period(db, settings):
    settings.AUDIT_IP_RETENTION_DAYS = 90
    from audit.services import audit_record

    old = audit_record(action="export", target="submissions", actor=Actor(user=superuser(), ip="198.51.100.1"))
    recent = audit_record(action="export", target="submissions", actor=Actor(ip="198.51.100.2"))
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=91))
    out = StringIO()
    call_command("purge_submissions", stdout=out)
    assert "Cleared the IP address of 1 audit event(s) older than 90 days." in out.getvalue()
    assert AuditEvent.objects.get(pk=old.pk).ip_address is None
    assert AuditEvent.objects.get(pk=recent.pk).ip_address == "198.51.100.2"


def test_a_delete_checkpoints_the_write_ahead_log_once_committed(db_ruleset, django_capture_on_commit_callbacks):
    submission = make_submission(db_ruleset)
    with django_capture_on_commit_callbacks() as callbacks:
        services.submission_delete(submission=submission, actor=Actor(), reason="x")
    assert services.database_checkpoint in callbacks


def test_the_purge_checkpoints_the_write_ahead_log_once_committed(db_ruleset, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("purge_submissions", stdout=StringIO())
    assert services.database_checkpoint in callbacks


def test_the_checkpoint_leaves_nothing_deleted_in_the_sqlite_files(tmp_path, monkeypatch, settings):
    """On a real SQLite file in WAL mode: after the checkpoint the -wal file is empty and the row is gone."""
    from django.db.utils import ConnectionHandler

    path = tmp_path / "clinic.sqlite3"
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": settings.SQLITE_OPTIONS}}
    )
    sqlite = handler["default"]
    try:
        with sqlite.cursor() as cursor:
            cursor.execute("CREATE TABLE answers (text TEXT)")
            cursor.execute("INSERT INTO answers VALUES (?)", [HEALTH_TEXT])
            cursor.execute("DELETE FROM answers")
        wal = tmp_path / "clinic.sqlite3-wal"
        assert wal.stat().st_size > 0
        monkeypatch.setattr(services, "connection", sqlite)
        services.database_checkpoint()
        assert wal.stat().st_size == 0
        assert HEALTH_TEXT.encode() not in path.read_bytes()
    finally:
        sqlite.close()


def test_sqlite_overwrites_deleted_rows_instead_of_leaving_them_in_free_pages(settings):
    assert "PRAGMA secure_delete=ON" in settings.SQLITE_OPTIONS["init_command"]
