"""triage.contact: one set of rules for contact details, and the API document publishing them exactly."""

from __future__ import annotations

import jsonschema_rs
import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from api.schemas import ContactIn
from triage import contact


def accepted(clean, value: str) -> bool:
    try:
        clean(value)
    except ValidationError:
        return False
    return True


def published(field: str) -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(ContactIn.model_json_schema()["properties"][field])


NAME_DOCUMENT = published("name")
PHONE_DOCUMENT = published("phone")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=120))
@example("A\x00")  # passed the API's old pattern and failed the form: the flaky schemathesis case
@example("\x1c")  # whitespace to Python, not to every regex engine
@example("Bo\n")
def test_the_api_document_and_the_rules_agree_on_every_name(value):
    assert NAME_DOCUMENT.is_valid(value) == accepted(contact.contact_name_clean, value)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=40), st.from_regex(r"\A\+?[ ()-]{0,3}(?:[0-9][ ()-]{0,2}){5,17}\Z")))
@example("021 123 4567\n")
@example("٠٢١١٢٣٤٥٦٧")  # Arabic-Indic digits: not digits to the clinic's phones
def test_the_api_document_and_the_rules_agree_on_every_phone_number(value):
    assert PHONE_DOCUMENT.is_valid(value) == accepted(contact.contact_phone_clean, value)


@pytest.mark.parametrize(
    ("details", "errors"),
    [
        ({"name": " Sam ", "email": "sam@example.com", "phone": ""}, {}),
        ({"name": "", "email": "sam@example.com", "phone": ""}, {"name": "name_required"}),
        ({"name": "Sam\x00", "email": "", "phone": "021 123 4567"}, {"name": "invalid_name"}),
        ({"name": "Sam", "email": "", "phone": ""}, {"phone": "contact_required"}),
        ({"name": "Sam", "email": "sam@", "phone": "call me"}, {"email": "invalid", "phone": "invalid_phone"}),
        ({"name": "Sam", "email": "s@" + "e" * 250 + ".nz", "phone": ""}, {"email": "max_length"}),
    ],
)
def test_contact_details_clean_names_each_bad_field_by_code(details, errors):
    try:
        cleaned = contact.contact_details_clean(**details)
    except ValidationError as error:
        assert {field: e[0].code for field, e in error.error_dict.items()} == errors
    else:
        assert errors == {}
        assert cleaned == contact.ContactDetails(name="Sam", email="sam@example.com")


def test_every_contact_length_limit_is_the_models_and_the_forms(db):
    from booking.forms import BookingRequestForm
    from booking.models import BookingRequest
    from triage.forms import ContactForm
    from triage.models import Submission

    limits = {"name": contact.NAME_MAX_LENGTH, "email": contact.EMAIL_MAX_LENGTH, "phone": contact.PHONE_MAX_LENGTH}
    booking_form, contact_form = BookingRequestForm(clinics=[]), ContactForm(clinics=[])
    for field, limit in limits.items():
        assert Submission._meta.get_field(f"contact_{field}").max_length == limit
        assert BookingRequest._meta.get_field(field).max_length == limit
        assert contact_form.fields[f"contact_{field}"].max_length == limit
        assert booking_form.fields[field].max_length == limit
        assert published(field).is_valid("x" * (limit + 1)) is False
