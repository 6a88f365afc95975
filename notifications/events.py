"""Which events send which emails, and what goes in them.

The clinic's emails carry the reference, the clinic, the disposition level and
a link to the admin page, never answers, conditions, names or contact details:
health information stays behind the sign-in. The patient's confirmation says
what happens next and carries no health details either.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from triage.models import RED_FLAG_DISPOSITIONS, Clinic, Disposition, Submission

from .models import NotificationKind
from .services import notification_queue


class BookingRequest(Protocol):
    """What is read of booking's request (booking sits above this app and calls it, so it is not imported)."""

    pk: int
    submission: Submission
    clinic: Clinic
    email: str
    phone: str
    consent: bool


logger = logging.getLogger(__name__)


def clinic_notify_address(*, clinic: Clinic | None) -> str:
    """The clinic's own notification address, else the site-wide CLINIC_NOTIFY_EMAIL ("" when neither is set)."""
    return (clinic.notify_email if clinic is not None else "") or settings.CLINIC_NOTIFY_EMAIL


def admin_url(*, name: str, pk: int) -> str:
    """An absolute link to an admin page (SITE_URL + path): the email is read outside the site."""
    return f"{settings.SITE_URL}{reverse(name, args=[pk])}"


def _disposition_label(submission: Submission) -> str:
    return str(Disposition(submission.disposition).label) if submission.disposition in Disposition.values else ""


def booking_request_notify(*, booking: BookingRequest) -> None:
    """A new booking request: one email to the clinic and, with an email given, a confirmation to the patient."""
    submission, clinic = booking.submission, booking.clinic
    context: dict[str, Any] = {
        "reference": submission.reference,
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "disposition": _disposition_label(submission),
        "admin_url": admin_url(name="admin:booking_bookingrequest_change", pk=booking.pk),
    }
    # Both rows are written before either task is queued (on commit of this block).
    with transaction.atomic():
        _booking_request_queue(booking=booking, context=context)


def _booking_request_queue(*, booking: BookingRequest, context: dict[str, Any]) -> None:
    submission, clinic = booking.submission, booking.clinic
    notification_queue(
        key=f"booking-request:{booking.pk}:clinic",
        kind=NotificationKind.BOOKING_REQUEST_CLINIC,
        recipient=clinic_notify_address(clinic=clinic),
        subject=f"New booking request {submission.reference} for {clinic.name}",
        body_template="notifications/booking_request_clinic.txt",
        context=context,
        submission=submission,
    )
    if booking.email and booking.consent:
        notification_queue(
            key=f"booking-request:{booking.pk}:patient",
            kind=NotificationKind.BOOKING_REQUEST_PATIENT,
            recipient=booking.email,
            subject=f"Your booking request to {clinic.name} (reference {submission.reference})",
            body_template="notifications/booking_request_patient.txt",
            context={**context, "by_phone": bool(booking.phone)},
            submission=submission,
        )


def red_flag_notify(*, submission: Submission) -> None:
    """A red-flag self-check (emergency or doctor today) from someone who agreed to be contacted: tell the clinic."""
    if submission.disposition not in RED_FLAG_DISPOSITIONS or not submission.contact_consent:
        return
    clinic = submission.clinic
    notification_queue(
        key=f"red-flag:{submission.pk}:clinic",
        kind=NotificationKind.RED_FLAG_CLINIC,
        recipient=clinic_notify_address(clinic=clinic),
        subject=f"Red flag: self-check {submission.reference} ({_disposition_label(submission)})",
        body_template="notifications/red_flag_clinic.txt",
        context={
            "reference": submission.reference,
            "clinic_name": clinic.name if clinic is not None else "",
            "disposition": _disposition_label(submission),
            "admin_url": admin_url(name="admin:triage_submission_change", pk=submission.pk),
        },
        submission=submission,
    )


def submission_created_receiver(sender, *, submission: Submission, **kwargs) -> None:
    """Receiver of triage.signals.submission_created: never lets a failure reach the patient's request."""
    try:
        red_flag_notify(submission=submission)
    except Exception:
        logger.exception("red-flag notification for a new submission failed")
