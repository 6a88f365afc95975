"""Reads for booking requests."""

from __future__ import annotations

from triage import scoring
from triage.models import Submission

from .models import OPEN_STATUSES, BookingRequest


def booking_offered(*, submission: Submission) -> bool:
    """Only a "book an assessment" result may lead to a booking request.

    Emergency and see-a-doctor-today results must send the person to medical
    care first, so the booking pages refuse them even when typed in by hand.
    """
    return submission.disposition == scoring.DISPOSITION_BOOK_ASSESSMENT


def booking_request_open_get(*, submission: Submission) -> BookingRequest | None:
    """The submission's open request (there is at most one), with its clinic."""
    return (
        BookingRequest.objects.select_related("clinic").filter(submission=submission, status__in=OPEN_STATUSES).first()
    )


def booking_request_latest_get(*, submission: Submission) -> BookingRequest | None:
    """The submission's most recent request, whatever its status, with its clinic."""
    return BookingRequest.objects.select_related("clinic").filter(submission=submission).first()
