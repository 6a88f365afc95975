"""The booking request form: what each field accepts and refuses, and the codes it refuses with."""

from __future__ import annotations

import pytest

from booking.forms import BookingRequestForm
from booking.models import TimeOfDay, Weekday
from triage.models import Clinic

NEWMARKET = Clinic(pk=1, slug="newmarket", name="Newmarket", region="Auckland")
TAURANGA = Clinic(pk=2, slug="tauranga", name="Tauranga")


def booking_form(**overrides) -> BookingRequestForm:
    data = {
        "clinic": "1",
        "preferred_days": ["mon", "thu"],
        "preferred_times": ["morning"],
        "name": "Aroha Ngata",
        "phone": "021 555 0199",
        "email": "",
        "notes": "",
        "consent": "on",
    }
    data.update(overrides)
    return BookingRequestForm(data=data, clinics=[NEWMARKET, TAURANGA])


def error_codes(form) -> dict[str, list[str]]:
    return {field: [error.code for error in errors.as_data()] for field, errors in form.errors.items()}


def test_a_complete_request_hands_back_the_clinic_itself_and_the_choices_ticked():
    form = booking_form(clinic="2", name="  Aroha Ngata ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["clinic"] is TAURANGA
    assert form.cleaned_data["preferred_days"] == ["mon", "thu"]
    assert form.cleaned_data["preferred_times"] == ["morning"]
    assert form.cleaned_data["name"] == "Aroha Ngata"


def test_the_clinic_choice_lists_each_clinic_with_its_region():
    choices = [(value, str(label)) for value, label in booking_form().fields["clinic"].choices]
    assert choices == [("1", "Newmarket (Auckland)"), ("2", "Tauranga")]


@pytest.mark.parametrize(
    ("clinic", "code"), [("", "required"), ("3", "invalid_choice"), ("newmarket", "invalid_choice")]
)
def test_a_clinic_must_be_one_of_those_listed(clinic, code):
    assert error_codes(booking_form(clinic=clinic)) == {"clinic": [code]}


def test_every_weekday_and_time_of_day_may_be_ticked_together():
    form = booking_form(preferred_days=Weekday.values, preferred_times=TimeOfDay.values)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("field", ["preferred_days", "preferred_times"])
def test_at_least_one_day_and_one_time_are_required(field):
    assert error_codes(booking_form(**{field: []})) == {field: ["required"]}


@pytest.mark.parametrize(("field", "value"), [("preferred_days", "sun"), ("preferred_times", "midnight")])
def test_a_day_or_time_not_offered_is_refused(field, value):
    assert error_codes(booking_form(**{field: ["mon", value] if field == "preferred_days" else [value]})) == {
        field: ["invalid_choice"]
    }


@pytest.mark.parametrize("name", ["", "   "])
def test_a_name_is_required(name):
    assert error_codes(booking_form(name=name)) == {"name": ["required"]}


def test_consent_to_be_contacted_is_required():
    assert error_codes(booking_form(consent="")) == {"consent": ["required"]}


def test_a_phone_or_an_email_is_required_and_either_alone_is_enough():
    assert error_codes(booking_form(phone="", email="")) == {"phone": ["contact_required"]}
    assert booking_form(phone="", email="aroha@example.co.nz").is_valid()
    assert booking_form(phone="021 555 0199", email="").is_valid()


@pytest.mark.parametrize("email", ["aroha", "aroha@", "aroha@example", "aroha ngata@example.com"])
def test_an_email_that_is_not_one_is_refused_and_still_counts_as_given(email):
    assert error_codes(booking_form(phone="", email=email)) == {"email": ["invalid"]}


@pytest.mark.parametrize("phone", ["+64 21 555 0199", "(09) 123-4567", "0211234", "123456789012345"])
def test_the_booking_form_accepts_the_same_phones_as_the_questionnaire(phone):
    assert booking_form(phone=phone).is_valid()


@pytest.mark.parametrize("phone", ["123456", "1234567890123456", "021-CALL-ME", "021.555.0199"])
def test_any_other_phone_is_refused_with_invalid_phone_and_still_counts_as_given(phone):
    assert error_codes(booking_form(phone=phone, email="")) == {"phone": ["invalid_phone"]}


@pytest.mark.parametrize(("field", "limit"), [("name", 100), ("phone", 30), ("notes", 500)])
def test_a_value_longer_than_its_limit_is_refused_with_max_length(field, limit):
    value = ("1" if field == "phone" else "a") * (limit + 1)
    assert error_codes(booking_form(email="aroha@example.co.nz", **{field: value})) == {field: ["max_length"]}


def test_notes_are_optional():
    assert booking_form(notes="").is_valid()
