"""Asking for an appointment from a "book an assessment" result."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from booking.models import BookingRequest, BookingStatus
from tests.conftest import own_result
from triage import scoring, services
from triage.models import Clinic

pytestmark = pytest.mark.django_db

BOOK_YES = {"pain_lying_on_side", "outer_hip_tenderness", "pain_walking_running_stairs"}
OUTCOME_YES = {
    "emergency": {"saddle_numbness"},
    "see_doctor_today": {"fever_unwell"},
    "book_assessment": BOOK_YES,
    "self_care": set(),
}


def make_submission(client, ruleset, disposition: str, **fields):
    """A stored submission whose result ``client``'s session owns, as if it had just finished the questionnaire."""
    answers = {q.code: q.code in OUTCOME_YES[disposition] for q in ruleset.questions}
    extra = {}
    if disposition == "book_assessment":
        extra = {"pain_duration": "over_12_weeks", "pain_intensity": 6}
    elif disposition != "emergency":
        extra = {"pain_duration": "under_6_weeks", "pain_intensity": 3}
    submission = services.submission_create(ruleset=ruleset, answers=answers, **{**extra, **fields})
    assert submission.disposition == disposition
    own_result(client, submission)
    return submission


def valid_data(clinic: Clinic, **overrides) -> dict:
    data = {
        "clinic": str(clinic.pk),
        "preferred_days": ["mon", "thu"],
        "preferred_times": ["morning"],
        "name": "Aroha Smith",
        "phone": "021 123 4567",
        "email": "",
        "notes": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_a_book_assessment_result_links_to_the_booking_request(client, db_ruleset):
    submission = make_submission(client, db_ruleset, "book_assessment")
    page = client.get(reverse("triage:result", kwargs={"token": submission.token})).content.decode()
    assert reverse("booking:booking_request", kwargs={"token": submission.token}) in page


@pytest.mark.parametrize("disposition", ["emergency", "see_doctor_today", "self_care"])
def test_booking_is_never_offered_on_other_results(client, db_ruleset, disposition):
    submission = make_submission(client, db_ruleset, disposition)
    url = reverse("booking:booking_request", kwargs={"token": submission.token})
    page = client.get(reverse("triage:result", kwargs={"token": submission.token})).content.decode()
    assert url not in page
    assert "Ask for an appointment" not in page
    # Typing the address in, or posting to it, is refused too.
    assert client.get(url).status_code == 403
    clinic = Clinic.objects.first()
    assert client.post(url, valid_data(clinic)).status_code == 403
    confirmation = reverse("booking:booking_confirmation", kwargs={"token": submission.token})
    assert client.get(confirmation).status_code == 403
    assert not BookingRequest.objects.exists()


def test_the_clinic_and_contact_details_chosen_earlier_are_preselected(client, db_ruleset):
    clinic = Clinic.objects.get(slug="hamilton")
    submission = make_submission(
        client,
        db_ruleset,
        "book_assessment",
        clinic_id=clinic.pk,
        contact=services.ContactDetails(name="Aroha Smith", email="aroha@example.com", phone=""),
    )
    response = client.get(reverse("booking:booking_request", kwargs={"token": submission.token}))
    form = response.context["form"]
    assert form["clinic"].value() == clinic.pk
    assert form["name"].value() == "Aroha Smith"
    assert form["email"].value() == "aroha@example.com"
    checked = re.findall(r'<input[^>]*name="clinic"[^>]*value="(\d+)"[^>]*checked', response.content.decode())
    assert checked == [str(clinic.pk)]


def test_a_valid_request_is_stored_and_confirmed(client, db_ruleset):
    submission = make_submission(client, db_ruleset, "book_assessment")
    clinic = Clinic.objects.get(slug="takapuna")
    url = reverse("booking:booking_request", kwargs={"token": submission.token})
    response = client.post(url, valid_data(clinic))
    confirmation = reverse("booking:booking_confirmation", kwargs={"token": submission.token})
    assert response.status_code == 302 and response["Location"] == confirmation
    booking = BookingRequest.objects.get()
    assert booking.submission == submission
    assert booking.clinic == clinic
    assert booking.preferred_days == ["mon", "thu"]
    assert booking.preferred_times == ["morning"]
    assert booking.consent is True
    assert booking.status == BookingStatus.NEW
    page = client.get(confirmation).content.decode()
    assert "Your request has been sent" in page
    assert submission.reference in page
    assert "Monday, Thursday" in page


def test_the_confirmation_gives_the_clinic_phone_or_says_there_is_none(client, db_ruleset):
    submission = make_submission(client, db_ruleset, "book_assessment")
    clinic = Clinic.objects.get(slug="takapuna")
    client.post(reverse("booking:booking_request", kwargs={"token": submission.token}), valid_data(clinic))
    confirmation = reverse("booking:booking_confirmation", kwargs={"token": submission.token})
    page = client.get(confirmation).content.decode()
    assert "does not list a phone number for Takapuna" in page
    assert "tel:" not in page.split("<footer")[0]  # no invented number
    clinic.phone = "09 123 4567"
    clinic.save()
    page = client.get(confirmation).content.decode()
    assert 'href="tel:091234567"' in page and "09 123 4567" in page


def test_a_second_submit_does_not_queue_the_patient_twice(client, db_ruleset):
    submission = make_submission(client, db_ruleset, "book_assessment")
    clinic = Clinic.objects.first()
    url = reverse("booking:booking_request", kwargs={"token": submission.token})
    client.post(url, valid_data(clinic))
    response = client.post(url, valid_data(clinic, name="Someone Else"))
    assert response.status_code == 302
    assert BookingRequest.objects.count() == 1
    assert BookingRequest.objects.get().name == "Aroha Smith"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"clinic": ""}, "clinic", "required"),
        ({"clinic": "99999"}, "clinic", "invalid_choice"),
        ({"preferred_days": []}, "preferred_days", "required"),
        ({"preferred_days": ["sun"]}, "preferred_days", "invalid_choice"),
        ({"preferred_times": []}, "preferred_times", "required"),
        ({"name": "   "}, "name", "required"),
        ({"phone": "", "email": ""}, "phone", "contact_required"),
        ({"phone": "call me"}, "phone", "invalid_phone"),
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"consent": ""}, "consent", "required"),
    ],
)
def test_each_mistake_gets_a_specific_message_and_keeps_the_answers(client, db_ruleset, overrides, field, code):
    submission = make_submission(client, db_ruleset, "book_assessment")
    clinic = Clinic.objects.first()
    data = {**valid_data(clinic), **overrides}
    response = client.post(reverse("booking:booking_request", kwargs={"token": submission.token}), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(field, code)
    assert "error-summary" in response.content.decode()
    if field != "name":
        assert form["name"].value() == "Aroha Smith"
    assert not BookingRequest.objects.exists()


def test_an_unknown_result_address_is_not_found(client):
    assert client.get(reverse("booking:booking_request", kwargs={"token": "x" * 30})).status_code == 404


def test_reception_sees_open_requests_in_the_admin_and_can_mark_them(client, db_ruleset):
    admin = get_user_model().objects.create_superuser("reception", "r@example.com", "a-long-password-1")
    client.force_login(admin)
    clinic = Clinic.objects.first()
    open_one = make_submission(client, db_ruleset, "book_assessment")
    booked_one = make_submission(client, db_ruleset, "book_assessment")
    for submission in (open_one, booked_one):
        client.post(reverse("booking:booking_request", kwargs={"token": submission.token}), valid_data(clinic))
    BookingRequest.objects.filter(submission=booked_one).update(status=BookingStatus.BOOKED)
    changelist = reverse("admin:booking_bookingrequest_changelist")
    page = client.get(changelist, {"open": "yes"}).content.decode()
    assert open_one.reference in page and booked_one.reference not in page
    page = client.get(changelist, {"open": "no"}).content.decode()
    assert booked_one.reference in page and open_one.reference not in page
    request = BookingRequest.objects.get(submission=open_one)
    client.post(changelist, {"action": "mark_contacted", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.status == BookingStatus.CONTACTED


def test_looking_at_or_changing_a_request_in_the_admin_is_audited(client, db_ruleset):
    admin = get_user_model().objects.create_superuser("reception", "r@example.com", "a-long-password-1")
    client.force_login(admin)
    submission = make_submission(client, db_ruleset, "book_assessment")
    client.post(
        reverse("booking:booking_request", kwargs={"token": submission.token}), valid_data(Clinic.objects.first())
    )
    booking = BookingRequest.objects.get()
    assert client.get(reverse("admin:booking_bookingrequest_change", args=[booking.pk])).status_code == 200
    changelist = reverse("admin:booking_bookingrequest_changelist")
    client.post(changelist, {"action": "mark_booked", "_selected_action": [booking.pk]})
    events = list(AuditEvent.objects.order_by("at").values_list("action", "actor__username"))
    assert events == [(AuditAction.VIEW, "reception"), (AuditAction.CHANGE, "reception")]


def test_changing_a_requests_status_is_audited_by_the_service(client, db_ruleset):
    from audit.actor import Actor
    from booking.models import BookingStatus
    from booking.services import booking_request_set_status

    submission = make_submission(client, db_ruleset, "book_assessment")
    client.post(
        reverse("booking:booking_request", kwargs={"token": submission.token}), valid_data(Clinic.objects.first())
    )
    booking = BookingRequest.objects.get()
    booking_request_set_status(requests=[booking], status=BookingStatus.BOOKED, actor=Actor(ip="192.0.2.9"))
    event = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert (event.detail, event.ip_address) == ({"ids": [booking.pk], "status": "booked"}, "192.0.2.9")


def test_the_confirmation_still_shows_after_reception_books_the_request(client, db_ruleset):
    submission = make_submission(client, db_ruleset, "book_assessment")
    client.post(
        reverse("booking:booking_request", kwargs={"token": submission.token}), valid_data(Clinic.objects.first())
    )
    BookingRequest.objects.update(status=BookingStatus.BOOKED)
    response = client.get(reverse("booking:booking_confirmation", kwargs={"token": submission.token}))
    assert response.status_code == 200
    page = response.content.decode()
    assert submission.reference in page
    assert "has booked your appointment" in page


def test_reopening_a_request_is_refused_when_another_is_open(client, db_ruleset):
    admin = get_user_model().objects.create_superuser("reception", "r@example.com", "a-long-password-1")
    client.force_login(admin)
    submission = make_submission(client, db_ruleset, "book_assessment")
    clinic = Clinic.objects.first()
    url = reverse("booking:booking_request", kwargs={"token": submission.token})
    client.post(url, valid_data(clinic))
    BookingRequest.objects.update(status=BookingStatus.CLOSED)
    client.post(url, valid_data(clinic))  # a fresh request after the first was closed
    closed = BookingRequest.objects.get(status=BookingStatus.CLOSED)
    changelist = reverse("admin:booking_bookingrequest_changelist")
    response = client.post(changelist, {"action": "mark_contacted", "_selected_action": [closed.pk]}, follow=True)
    assert response.status_code == 200
    closed.refresh_from_db()
    assert closed.status == BookingStatus.CLOSED
    assert "not changed" in response.content.decode()


def test_disposition_constant_matches_the_booking_rule():
    assert scoring.DISPOSITION_BOOK_ASSESSMENT == "book_assessment"
