"""Who sees what: reception works the call list and booking requests without the answers or scores."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from booking.models import BookingRequest, BookingStatus
from tests.review_helpers import clinician, make_submission, staff_user, symptoms_of
from triage.models import Clinic, Submission
from triage.services import ContactDetails

CHANGELIST = reverse("admin:triage_submission_changelist")
BOOKINGS = reverse("admin:booking_bookingrequest_changelist")


@pytest.fixture
def reception_client(client, db):
    # Need to know (issue 14): this receptionist works for every clinic.
    client.force_login(staff_user("desk", group="Reception", all_clinics=True))
    return client


@pytest.fixture
def submission(db_ruleset) -> Submission:
    return make_submission(
        db_ruleset,
        yes=symptoms_of(db_ruleset, "sciatica"),
        pain_intensity=7,
        contact=ContactDetails(name="Mere Tane", phone="021 555 1234"),
    )


def booking_for(submission: Submission) -> BookingRequest:
    return BookingRequest.objects.create(
        submission=submission,
        reference=submission.reference,
        clinic=Clinic.objects.first(),
        preferred_days=["tue", "fri"],
        preferred_times=["afternoon"],
        name="Mere Tane",
        phone="021 555 1234",
        consent=True,
    )


def test_reception_sees_the_call_list_without_suggestions_or_pain(reception_client, submission):
    response = reception_client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert submission.reference in page and f"ff-badge-{submission.disposition}" in page
    assert "Sciatica" not in page and "column-top_suggestion" not in page and "column-pain" not in page
    assert "suggested condition" not in page  # the filter by suggestion reads the scores


def test_reception_sees_who_to_call_but_not_the_answers_or_scores(reception_client, submission, db_ruleset):
    booking_for(submission)
    response = reception_client.get(reverse("admin:triage_submission_change", args=[submission.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Who to call" in page and "021 555 1234" in page and "Mere Tane" in page
    assert "Tuesday, Friday; Afternoon (12 pm to 4 pm)" in page
    assert "What the patient told us" not in page and "Score breakdown" not in page
    for question in db_ruleset.questions:
        assert question.text not in page
    assert "Sciatica" not in page


def test_reception_cannot_export_or_download_fhir(reception_client, submission):
    assert reception_client.get(reverse("admin:triage_submission_export")).status_code == 403
    action_form = reception_client.get(CHANGELIST).context["action_form"]
    names = {name for name, _label in action_form.fields["action"].choices} if action_form else set()
    assert "export_csv" not in names and "download_questionnaire_response" not in names
    response = reception_client.post(
        CHANGELIST, {"action": "download_questionnaire_response", "_selected_action": [submission.pk]}
    )
    assert response.get("Content-Type", "").startswith("text/html")  # refused: no JSON came back
    fhir = reception_client.get(reverse("interop:questionnaire_response", args=[submission.reference]))
    assert fhir.status_code == 403


def test_reception_does_not_get_the_dashboard_built_from_the_scores(reception_client, submission):
    assert reception_client.get(reverse("admin:triage_submission_dashboard")).status_code == 403
    assert "Dashboard" not in reception_client.get(CHANGELIST).content.decode()


def test_reception_cannot_change_a_submission(reception_client, submission):
    url = reverse("admin:triage_submission_change", args=[submission.pk])
    reception_client.post(url, {"status": "in_review"})
    submission.refresh_from_db()
    assert submission.status == "new"


def test_reception_works_booking_requests(reception_client, submission):
    booking = booking_for(submission)
    assert reception_client.get(BOOKINGS).status_code == 200
    url = reverse("admin:booking_bookingrequest_change", args=[booking.pk])
    page = reception_client.get(url).content.decode()
    assert "Tuesday, Friday" in page and "Afternoon (12 pm to 4 pm)" in page
    response = reception_client.post(url, {"status": BookingStatus.CONTACTED, "clinic_notes": "Left a message"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.clinic_notes) == (BookingStatus.CONTACTED, "Left a message")
    assert booking.name == "Mere Tane"  # what the patient sent is read-only
    delete = reverse("admin:booking_bookingrequest_delete", args=[booking.pk])
    assert reception_client.post(delete, {"post": "yes"}).status_code == 403


def test_a_clinician_sees_answers_and_works_booking_requests(client, submission):
    booking = booking_for(submission)
    client.force_login(clinician())
    page = client.get(reverse("admin:triage_submission_change", args=[submission.pk])).content.decode()
    assert "What the patient told us" in page and "Score breakdown" in page and "Booking requests" in page
    assert client.get(BOOKINGS).status_code == 200
    client.post(BOOKINGS, {"action": "mark_booked", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_the_demo_clinician_gets_the_booking_requests(client, db, settings):
    settings.DEBUG = True
    call_command("seed_demo", submissions=0, clinician=True, stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="demo-clinician"))
    assert client.get(BOOKINGS).status_code == 200


def test_consent_on_the_booking_form_counts_on_the_submission_page(client, db_ruleset):
    submission = make_submission(db_ruleset)  # no consent on the questionnaire
    booking_for(submission)
    client.force_login(clinician())
    page = client.get(reverse("admin:triage_submission_change", args=[submission.pk])).content.decode()
    assert "did not agree to be contacted" not in page
    assert "agreed on the booking form" in page and "021 555 1234" in page
