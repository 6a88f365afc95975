"""The audit trail is tamper-evident: each event is hash-chained to the one before, and audit_verify checks it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.actor import SYSTEM, Actor
from audit.chain import GENESIS, anonymised_target
from audit.models import AuditChainHead, AuditEvent
from audit.services import audit_anonymise, audit_record

pytestmark = pytest.mark.django_db


def three_events() -> list[AuditEvent]:
    actor = Actor(ip="192.0.2.9", anonymous_label="patient")
    return [
        audit_record(action="view", target="ACDEFGHJ", actor=actor),
        audit_record(action="change", target="ACDEFGHJ", actor=SYSTEM, detail={"fields": ["status"]}),
        audit_record(action="export", target="submissions", actor=SYSTEM, detail={"scope": "filtered"}),
    ]


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_each_event_carries_a_hash_chained_to_the_one_before():
    first, second, third = three_events()
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert AuditChainHead.objects.get().last_hash == third.hash


def test_audit_verify_says_ok_with_the_number_of_events():
    three_events()
    assert verify().strip() == "OK, 3 events"


def test_audit_verify_names_the_first_event_whose_content_was_changed():
    _first, second, _third = three_events()
    AuditEvent.objects.filter(pk=second.pk).update(detail={"fields": ["assigned_to"]})
    with pytest.raises(CommandError, match=f"event {second.pk}: its content no longer matches"):
        verify()


def test_audit_verify_finds_a_target_rewritten_in_clear():
    first, _second, _third = three_events()
    AuditEvent.objects.filter(pk=first.pk).update(target="ZZZZZZZZ")
    with pytest.raises(CommandError, match=f"event {first.pk}: its target"):
        verify()


def test_audit_verify_finds_an_event_removed_from_the_middle():
    _first, second, third = three_events()
    AuditEvent.objects.filter(pk=second.pk).delete()
    with pytest.raises(CommandError, match=f"event {third.pk}: its link"):
        verify()


def test_audit_verify_finds_events_removed_from_the_end():
    *_rest, third = three_events()
    AuditEvent.objects.filter(pk=third.pk).delete()
    with pytest.raises(CommandError, match="the end of the trail"):
        verify()


def test_a_failed_verification_exits_with_status_1():
    _first, second, _third = three_events()
    AuditEvent.objects.filter(pk=second.pk).update(action="view")
    with pytest.raises(SystemExit) as exited:
        _run_from_command_line()
    assert exited.value.code == 1


def _run_from_command_line() -> None:
    from django.core.management import ManagementUtility

    ManagementUtility(["manage.py", "audit_verify"]).execute()


def test_anonymising_a_deleted_submissions_events_keeps_the_chain_verifiable():
    three_events()
    assert audit_anonymise(targets=["ACDEFGHJ"]) == 2
    assert not AuditEvent.objects.filter(target="ACDEFGHJ").exists()
    assert AuditEvent.objects.filter(target=anonymised_target("ACDEFGHJ"), ip_address__isnull=True).count() == 2
    assert verify().strip() == "OK, 3 events"
