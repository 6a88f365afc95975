"""A booking request outlives its self-check: withdrawn and emptied when the patient deletes their answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.actor import SYSTEM
from booking.models import BookingRequest, BookingStatus
from tests.review_helpers import clinician, superuser
from triage import services as triage_services
from triage.models import Clinic, Submission

from .test_booking import make_submission, valid_data

pytestmark = pytest.mark.django_db


def sent_request(client, ruleset, **overrides) -> BookingRequest:
    submission = make_submission(client, ruleset, "book_assessment")
    data = valid_data(Clinic.objects.first(), email="aroha@example.com", notes="Knee surgery in May", **overrides)
    client.post(reverse("booking:booking_request", kwargs={"token": submission.token}), data)
    return BookingRequest.objects.get(submission=submission)


def test_a_request_keeps_its_self_checks_reference(client, db_ruleset):
    request = sent_request(client, db_ruleset)
    assert request.reference == request.submission.reference
    assert str(request) == f"{request.reference} at {request.clinic.name}"


def test_the_delete_confirm_page_says_a_pending_request_is_withdrawn_too(client, db_ruleset):
    request = sent_request(client, db_ruleset)
    url = reverse("triage:result_delete", kwargs={"token": request.submission.token})
    assert "withdraws that request too" in client.get(url).content.decode()


def test_the_delete_confirm_page_says_nothing_of_a_request_already_dealt_with(client, db_ruleset):
    request = sent_request(client, db_ruleset)
    BookingRequest.objects.filter(pk=request.pk).update(status=BookingStatus.BOOKED)
    url = reverse("triage:result_delete", kwargs={"token": request.submission.token})
    assert "withdraws that request" not in client.get(url).content.decode()


def test_deleting_my_answers_withdraws_the_pending_request_and_keeps_no_personal_details(client, db_ruleset):
    request = sent_request(client, db_ruleset)
    reference, clinic_id, created_at = request.reference, request.clinic_id, request.created_at
    response = client.post(reverse("triage:result_delete", kwargs={"token": request.submission.token}))
    assert response["Location"] == reverse("triage:result_deleted")
    assert not Submission.objects.exists()
    request.refresh_from_db()
    assert request.status == BookingStatus.WITHDRAWN
    assert (request.reference, request.clinic_id, request.created_at) == (reference, clinic_id, created_at)
    assert request.submission_id is None
    kept = (request.name, request.phone, request.email, request.notes, request.clinic_notes)
    assert kept == ("", "", "", "", "")
    assert request.preferred_days == [] and request.preferred_times == []
    assert request.updated_at > created_at


def test_a_request_already_booked_keeps_its_status_but_loses_the_details(client, db_ruleset):
    request = sent_request(client, db_ruleset)
    BookingRequest.objects.filter(pk=request.pk).update(status=BookingStatus.BOOKED)
    triage_services.submission_delete(submission=request.submission, actor=SYSTEM, reason="test")
    request.refresh_from_db()
    assert request.status == BookingStatus.BOOKED and request.name == "" and request.submission_id is None


def test_deleting_several_self_checks_at_once_withdraws_each_request(client, db_ruleset):
    requests = [sent_request(client, db_ruleset) for _ in range(3)]
    triage_services.submissions_delete(queryset=Submission.objects.all(), actor=SYSTEM, reason="test")
    assert {r.status for r in BookingRequest.objects.filter(pk__in=[r.pk for r in requests])} == {
        BookingStatus.WITHDRAWN
    }


def test_the_clinics_list_shows_a_withdrawn_request_as_withdrawn_by_the_patient(client, db_ruleset):
    request = sent_request(client, db_ruleset)
    client.post(reverse("triage:result_delete", kwargs={"token": request.submission.token}))
    client.force_login(clinician())
    page = client.get(reverse("admin:booking_bookingrequest_changelist")).content.decode()
    assert request.reference in page and "Withdrawn by the patient" in page
    detail = client.get(reverse("admin:booking_bookingrequest_change", args=[request.pk])).content.decode()
    assert "deleted by the patient" in detail and "Aroha" not in detail


def test_a_withdrawn_request_cannot_be_reopened_or_edited(client, db_ruleset):
    request = sent_request(client, db_ruleset)
    client.post(reverse("triage:result_delete", kwargs={"token": request.submission.token}))
    client.force_login(superuser())
    changelist = reverse("admin:booking_bookingrequest_changelist")
    response = client.post(changelist, {"action": "mark_contacted", "_selected_action": [request.pk]}, follow=True)
    assert "not changed" in response.content.decode()
    request.refresh_from_db()
    assert request.status == BookingStatus.WITHDRAWN
    url = reverse("admin:booking_bookingrequest_change", args=[request.pk])
    client.post(url, {"status": "new", "clinic_notes": "x"})
    request.refresh_from_db()
    assert request.status == BookingStatus.WITHDRAWN and request.clinic_notes == ""


def test_preferred_days_and_times_read_in_words(client, db_ruleset):
    request = sent_request(client, db_ruleset)
    assert request.preferred_in_words() == "Monday, Thursday; Morning (before 12 pm)"
    client.force_login(superuser())
    page = client.get(reverse("admin:booking_bookingrequest_change", args=[request.pk])).content.decode()
    assert "Monday, Thursday" in page and "Morning (before 12 pm)" in page
    assert '["mon", "thu"]' not in page and "[&quot;mon" not in page
