"""Writes for booking requests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction

from audit.actor import Actor
from audit.models import AuditAction
from audit.services import audit_record
from notifications.events import booking_request_notify
from triage.models import Clinic, Submission

from .models import OPEN_STATUSES, BookingRequest, BookingStatus


@dataclass(frozen=True)
class BookingDetails:
    clinic: Clinic
    preferred_days: Sequence[str]
    preferred_times: Sequence[str]
    name: str
    email: str
    phone: str
    notes: str


def booking_request_create(*, submission: Submission, details: BookingDetails) -> BookingRequest:
    """Store the patient's request, or return the open one they already sent.

    Idempotent per submission: a repeated POST (double click, Back and
    resubmit) finds the existing open request instead of adding another.
    A new request notifies the clinic and the patient (notifications.events).
    """
    try:
        with transaction.atomic():
            booking = BookingRequest.objects.create(
                submission=submission,
                reference=submission.reference,
                clinic=details.clinic,
                preferred_days=list(details.preferred_days),
                preferred_times=list(details.preferred_times),
                name=details.name,
                email=details.email,
                phone=details.phone,
                notes=details.notes,
                consent=True,
            )
            # The clinic (and the patient, with an email) are told once the request is safely stored;
            # robust: a notification that cannot be queued never fails the request.
            transaction.on_commit(partial(booking_request_notify, booking=booking), robust=True)
            return booking
    except IntegrityError:
        existing = BookingRequest.objects.filter(submission=submission, status__in=OPEN_STATUSES).first()
        if existing is None:
            raise
        return existing


def booking_request_save(*, booking: BookingRequest, changed_fields: Iterable[str], actor: Actor) -> None:
    """Save reception's edits to a request, audited with the names (not the values) of the fields changed."""
    with transaction.atomic():
        booking.save()
        audit_record(
            action=AuditAction.CHANGE,
            target=booking.submission.reference,
            actor=actor,
            detail={"booking_request": booking.pk, "fields": sorted(changed_fields)},
        )


def booking_request_set_status(
    *, requests: Iterable[BookingRequest], status: BookingStatus, actor: Actor
) -> tuple[int, int]:
    """Move requests to ``status`` (audited). Returns (changed, refused).

    Reopening a request is refused when its self-check already has another
    open request, so reception never sees the same patient twice in the queue.
    A request the patient withdrew (by deleting their answers) stays withdrawn,
    and no request is moved to "withdrawn" by staff.
    """
    requests = list(requests)
    changed = refused = 0
    for booking in requests:
        if booking.status == status:
            continue
        if booking.is_withdrawn or status == BookingStatus.WITHDRAWN:
            refused += 1
            continue
        booking.status = status
        try:
            with transaction.atomic():
                booking.save(update_fields=["status", "updated_at"])
        except IntegrityError:
            refused += 1
        else:
            changed += 1
    audit_record(
        action=AuditAction.CHANGE,
        target="booking requests",
        actor=actor,
        detail={"ids": sorted(booking.pk for booking in requests), "status": status.value},
    )
    return changed, refused
