"""Issue 14, attack 5: over-long contact details got a 500 on PostgreSQL; each way in now names the field.

Run on SQLite and on PostgreSQL by `make test` (PostgreSQL's varchar(254)
refused a 300-character email with a DataError, a 500, before this).
"""

from __future__ import annotations

import json

import pytest
from django.core.validators import validate_email
from django.urls import reverse

from booking.models import BookingRequest
from tests.conftest import own_result
from triage import scoring, services
from triage.contact import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PHONE_MAX_LENGTH
from triage.models import Clinic, Submission

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 55] * 4) + ".example.com"  # 300 characters, otherwise valid
TOO_LONG = {
    "email": LONG_EMAIL,
    "name": "N" * (NAME_MAX_LENGTH + 1),
    "phone": "0" * 7 + "-" * (PHONE_MAX_LENGTH - 6),  # 7 digits: only its length is wrong
}


def test_the_long_email_is_well_formed_and_over_the_limit():
    validate_email(LONG_EMAIL)  # Django's own check allows up to 320 characters
    assert len(LONG_EMAIL) == 300 > EMAIL_MAX_LENGTH


def _wizard_contact_step(client, ruleset: scoring.Ruleset, contact: dict[str, str]):
    client.get(reverse("triage:check") + "?reset=1")
    kinds = {
        "safety": scoring.SAFETY_KINDS,
        "symptoms": (scoring.SYMPTOM,),
        "feet": (scoring.DRIVER,),
    }
    steps = {step: {q.code: "no" for q in ruleset.questions_of_kind(*kind)} for step, kind in kinds.items()}
    steps["duration"] = {"pain_duration": "under_6_weeks", "pain_intensity": "3"}
    steps["contact"] = {"contact_consent": "on", "contact_name": "Sam", "contact_phone": "021 123 4567", **contact}
    for step, data in steps.items():
        payload = {"self_check_wizard-current_step": step, **{f"{step}-{k}": v for k, v in data.items()}}
        response = client.post(reverse("triage:check_step", kwargs={"step": step}), payload)
    return response


@pytest.mark.parametrize("field", sorted(TOO_LONG))
def test_the_wizard_contact_step_names_an_over_long_detail(client, db_ruleset, field):
    response = _wizard_contact_step(client, db_ruleset, {f"contact_{field}": TOO_LONG[field]})
    assert response.status_code == 200
    assert response.context["form"].has_error(f"contact_{field}", "max_length")
    assert not Submission.objects.exists()


@pytest.mark.parametrize("field", sorted(TOO_LONG))
def test_the_booking_form_names_an_over_long_detail(client, db_ruleset, field):
    answers = {q.code: q.code in {"pain_lying_on_side", "outer_hip_tenderness"} for q in db_ruleset.questions}
    submission = services.submission_create(
        ruleset=db_ruleset, answers=answers, pain_duration="over_12_weeks", pain_intensity=6
    )
    own_result(client, submission)
    clinic = Clinic.objects.first()
    data = {
        "clinic": str(clinic.pk),
        "preferred_days": ["mon"],
        "preferred_times": ["morning"],
        "name": "Sam",
        "phone": "021 123 4567",
        "consent": "on",
        field: TOO_LONG[field],
    }
    response = client.post(reverse("booking:booking_request", kwargs={"token": submission.token}), data)
    assert response.status_code == 200
    assert response.context["form"].has_error(field, "max_length")
    assert not BookingRequest.objects.exists()


@pytest.mark.parametrize("field", sorted(TOO_LONG))
def test_the_api_names_an_over_long_detail(client, db_ruleset, field):
    body = {"answers": {}, "contact": {"name": "Sam", "phone": "021 123 4567", field: TOO_LONG[field]}}
    response = client.post("/api/v1/submissions", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {(f"contact.{field}", "max_length")}
    assert not Submission.objects.exists()
