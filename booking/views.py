"""The patient's booking request: a form from a "book an assessment" result, then a confirmation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from triage import selectors as triage_selectors
from triage.models import Submission

from . import selectors, services
from .forms import BookingRequestForm


def _own_submission(request: HttpRequest, token: str) -> Submission | None:
    # Like the result page: only the session that made the result may book from it.
    return triage_selectors.submission_get_for_session(session=request.session, token=token)


def _expired(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/result_expired.html", status=404)


def _bookable(request: HttpRequest, token: str) -> Submission | HttpResponse:
    """The submission a booking is for, or the page that says why it cannot be booked from here."""
    submission = _own_submission(request, token)
    if submission is None:
        return _expired(request)
    if not selectors.booking_offered(submission=submission):
        # Refused with a page that says what to do instead, never a bare error.
        return render(request, "booking/not_offered.html", {"submission": submission}, status=403)
    return submission


@require_http_methods(["GET", "POST"])
def booking_request(request: HttpRequest, token: str) -> HttpResponse:
    submission = _bookable(request, token)
    if isinstance(submission, HttpResponse):
        return submission
    if selectors.booking_request_open_get(submission=submission) is not None:
        return redirect("booking:booking_confirmation", token=token)
    initial = {"clinic": submission.clinic_id, "name": submission.contact_name}
    initial.update(email=submission.contact_email, phone=submission.contact_phone)
    form = BookingRequestForm(request.POST or None, clinics=triage_selectors.clinic_list(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.booking_request_create(
            submission=submission,
            details=services.BookingDetails(
                clinic=data["clinic"],
                preferred_days=data["preferred_days"],
                preferred_times=data["preferred_times"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                notes=data["notes"],
            ),
        )
        return redirect("booking:booking_confirmation", token=token)
    return render(request, "booking/booking_request.html", {"form": form, "submission": submission})


@require_safe
def booking_confirmation(request: HttpRequest, token: str) -> HttpResponse:
    submission = _bookable(request, token)
    if isinstance(submission, HttpResponse):
        return submission
    # The latest request, even once reception has booked or closed it, so a
    # bookmarked confirmation still shows what was asked for.
    booking = selectors.booking_request_latest_get(submission=submission)
    if booking is None:
        return redirect("booking:booking_request", token=token)
    return render(request, "booking/booking_confirmation.html", {"booking": booking, "submission": submission})
