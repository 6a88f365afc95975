from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.test import RequestFactory

from audit.actor import SYSTEM, Actor
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record


def test_a_signed_in_user_acts_as_themself_from_their_ip(db):
    user = User.objects.create_user("clinician")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    request.user = user
    assert Actor.from_request(request) == Actor(user=user, ip="192.0.2.1")
    assert Actor.from_request(request).label == "clinician"


def test_an_anonymous_visitor_is_the_patient():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.2")
    request.user = AnonymousUser()
    actor = Actor.from_request(request)
    assert (actor.user, actor.ip, actor.label) == (None, "192.0.2.2", "patient")


def test_a_scheduled_job_is_the_system_with_no_ip():
    assert (SYSTEM.user, SYSTEM.ip, SYSTEM.label) == (None, None, "system")


def test_an_audit_record_keeps_who_as_a_user_and_as_text_and_the_ip(db):
    user = User.objects.create_user("reception")
    audit_record(action=AuditAction.VIEW, target="X" * 300, actor=Actor(user=user, ip="192.0.2.3"))
    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_label, event.ip_address, len(event.target)) == (
        user,
        "reception",
        "192.0.2.3",
        200,
    )
