"""Typed request and response bodies of the JSON API.

They mirror the JSON contract of ``manage.py assess`` (triage.scoring's
``answers_from_payload`` / ``assessment_to_payload``): the same field names,
the same strictness (true/false means a JSON boolean, intensity a whole
number), so a caller can move between the command and the API freely.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import annotated_types
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, StringConstraints, WithJsonSchema

from triage import contact, scoring

PainDuration = Literal["under_6_weeks", "6_to_12_weeks", "over_12_weeks"]
Disposition = Literal["emergency", "see_doctor_today", "see_gp_soon", "book_assessment", "self_care"]
# At most this many errors are listed in a 422: a huge bad body gets a small answer.
MAX_ERRORS = 20
QuestionCode = Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]+$", max_length=50)]


def _whole_number(value: object) -> object:
    # JSON Schema counts 7.0 as an integer, so the API does too; but "7",
    # true or 4.5 are refused, as the assess command refuses them.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number from 0 to 10")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number from 0 to 10")
        return int(value)
    return value


def _whole_years(value: object) -> object:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not value.is_integer())
    ):
        raise ValueError("must be a whole number of years from 16 to 110")
    return int(value)


Intensity = Annotated[int, annotated_types.Interval(ge=0, le=10), BeforeValidator(_whole_number)]
Age = Annotated[int, annotated_types.Interval(ge=16, le=110), BeforeValidator(_whole_years)]

assert set(PainDuration.__args__) == set(scoring.DURATIONS)


class AssessIn(Schema):
    """Answers to score: what ``manage.py assess`` reads on stdin."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[QuestionCode, StrictBool] = Field(
        description="Question code to true (yes) or false (no). Codes not answered count as no. "
        "The codes are listed in this document and in the FHIR Questionnaire "
        "at /fhir/Questionnaire/hip-back-self-check.",
        examples=[{"groin_pain": True, "hip_clicking": True, "flat_feet": False}],
    )
    pain_duration: PainDuration | None = Field(default=None, description="How long the pain has lasted.")
    pain_intensity: Intensity | None = Field(
        default=None, description="Average pain over the past week, 0 (none) to 10 (worst imaginable): PEG item 1."
    )
    age: Age | None = Field(
        default=None, description="Contract v2. Age in whole years, 16 to 110 (the self-check is for adults)."
    )
    enjoyment_interference: Intensity | None = Field(
        default=None,
        description="Contract v2. How much pain interfered with enjoyment of life in the past week, 0-10: PEG item 2.",
    )
    activity_interference: Intensity | None = Field(
        default=None,
        description="Contract v2. How much pain interfered with general activity in the past week, 0-10: PEG item 3.",
    )


class SuggestedConditionOut(Schema):
    slug: str = Field(description="Stable identifier of the condition.")
    name: str
    score: float = Field(ge=0, le=1, description="Normalised score from 0 to 1.")
    matched: list[str] = Field(description="The answers (question codes) that counted towards it.")
    against: list[str] = Field(
        description="Contract v2. Its telling symptoms (question codes) not reported: why it is less likely."
    )


class AssessOut(Schema):
    """What ``manage.py assess`` prints: a suggestion, never a diagnosis."""

    disposition: Disposition = Field(
        description="emergency (call 111), see_doctor_today, see_gp_soon (contract v2: a GP or physiotherapist "
        "within days), book_assessment or self_care; decided by the published escalation rules, most urgent first."
    )
    conditions: list[SuggestedConditionOut] = Field(
        description="Conditions the answers may be consistent with, highest score first (at most 3)."
    )
    drivers: list[str] = Field(description="Foot-mechanics drivers and signs reported (question codes).")
    red_flags: list[str] = Field(description="Red-flag answers reported (question codes), most urgent first.")
    peg: float | None = Field(
        description="Contract v2. PEG score (Krebs 2009): mean of pain_intensity, enjoyment_interference and "
        "activity_interference to one decimal; null unless all three are given.",
        ge=0,
        le=10,
    )
    acc_possible: bool = Field(
        description="Contract v2. True when accident_onset is yes: ACC may cover treatment. "
        "It never changes the disposition."
    )
    reasons: list[str] = Field(
        description="Contract v2. What decided the disposition: the escalation rule's code, then the answers "
        "(question codes, or pain_intensity, pain_duration, age) that met its conditions."
    )


def _published(**json_schema: object) -> object:
    """A string whose rules the document publishes from triage.contact's constants.

    The view checks it with triage.contact's own functions (the questionnaire's
    rules), so what the document calls valid is exactly what is accepted.
    """
    return Annotated[str, WithJsonSchema({"type": "string", **json_schema})]


ContactName = _published(maxLength=contact.NAME_MAX_LENGTH, pattern=contact.NAME_PATTERN)
ContactEmail = _published(maxLength=contact.EMAIL_MAX_LENGTH, format="email")
ContactPhone = _published(maxLength=contact.PHONE_MAX_LENGTH, pattern=contact.PHONE_PATTERN)


class ContactIn(Schema):
    """Sent only when the person agreed to be contacted about their answers: its presence is their consent."""

    model_config = ConfigDict(
        extra="forbid",
        # A way to reach the person: an email address, a phone number, or both.
        json_schema_extra={"anyOf": [{"required": ["email"]}, {"required": ["phone"]}]},
    )

    name: ContactName
    # Not nullable: leave a field out rather than sending null.
    email: ContactEmail = ""
    phone: ContactPhone = Field(default="", description="7 to 15 digits; spaces, brackets, dashes and a leading +.")
    followup_consent: bool = Field(
        default=False,
        description=(
            "The person agreed to be emailed at 6 and 12 weeks to say how they are getting on (the questionnaire's "
            "separate, unticked opt-in). Needs an email."
        ),
    )


class SubmissionIn(AssessIn):
    """Answers to score and store, with the same optional details the questionnaire asks for."""

    clinic: str | None = Field(default=None, description="Preferred clinic's slug (e.g. 'takapuna'), or null.")
    contact: ContactIn | None = Field(
        default=None, description="Omit (or null) to stay anonymous; send it only with the person's consent."
    )


class SubmissionOut(Schema):
    reference: str = Field(description="8-character reference the person can quote to the clinic.")
    created_at: datetime
    assessment: AssessOut


class FieldError(Schema):
    field: str = Field(description="Dotted path of the bad field, e.g. 'answers.groin_pain'; '' for the whole body.")
    message: str
    code: str = Field(description="A stable, machine-readable reason, e.g. 'unknown_question' or 'bool_type'.")


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = Field(
        default_factory=list, description=f"The first {MAX_ERRORS} problems found, in the order of the body."
    )
    error_count: int = Field(default=0, ge=0, description="How many problems were found in all.")
