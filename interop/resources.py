"""The self-check as FHIR R4 resources: the Questionnaire, and each
submission as a QuestionnaireResponse, plus the way back (a response to
answers) so a round trip can be checked.

Plain dicts in the FHIR JSON shape, built without queries: callers pass the
ruleset and rows in. Each ``linkId`` is the stable question code used by
scoring, the API and exports, so a response can be read without this code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from triage import field_texts, scoring, steps
from triage.forms import ContactForm
from triage.models import Clinic, PainDuration, Submission

QUESTIONNAIRE_ID = "hip-back-self-check"
# The answers that end the questionnaire. The safety step also asks context (a cancer history, an
# accident), which acts only through the escalation rules and never hides the later steps.
RED_FLAG_KINDS = (scoring.EMERGENCY, scoring.DOCTOR_TODAY)
# Whole-number answers besides pain intensity (contract v2): the step each is asked on, and its range.
NUMBER_ITEMS = {
    "age": (steps.SAFETY, scoring.AGE_RANGE),
    "enjoyment_interference": (steps.DURATION, scoring.INTERFERENCE_RANGE),
    "activity_interference": (steps.DURATION, scoring.INTERFERENCE_RANGE),
}
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


@dataclass(frozen=True)
class FhirUrls:
    """Where the resources live: the questionnaire's canonical URL and the code systems under it."""

    base: str  # e.g. "https://selfcheck.example.org/fhir"

    @property
    def questionnaire(self) -> str:
        return f"{self.base}/Questionnaire/{QUESTIONNAIRE_ID}"

    def code_system(self, name: str) -> str:
        return f"{self.base}/CodeSystem/{name}"

    @property
    def reference_system(self) -> str:
        return f"{self.base}/NamingSystem/submission-reference"


def _red_flag_codes(ruleset: scoring.Ruleset) -> list[str]:
    return [q.code for q in ruleset.questions_of_kind(*RED_FLAG_KINDS)]


def _display_item(link_id: str, text: str, control: str) -> dict:
    return {
        "linkId": link_id,
        "text": text,
        "type": "display",
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
                "valueCodeableConcept": {
                    "coding": [{"system": "http://hl7.org/fhir/questionnaire-item-control", "code": control}]
                },
            }
        ],
    }


def _help_and_why(code: str, help_text: str, why_we_ask: str) -> list[dict]:
    children = []
    if help_text:
        # The patient-facing help line, as FHIR's standard "help" display item.
        children.append(_display_item(f"{code}.help", help_text, "help"))
    if why_we_ask:
        # "Why we ask", shown on demand: FHIR's "flyover" display item.
        children.append(_display_item(f"{code}.why", f"Why we ask: {why_we_ask}", "flyover"))
    return children


def _boolean_item(question: scoring.Question) -> dict:
    item = {"linkId": question.code, "text": question.text, "type": "boolean", "required": True}
    children = _help_and_why(question.code, question.help_text, question.why_we_ask)
    if children:
        item["item"] = children
    if question.enable_when:
        # Asked only when one of these earlier answers was given (issue 12): FHIR's enableWhen.
        item["enableWhen"] = [
            {"question": code, "operator": "=", "answerBoolean": answer} for code, answer in question.enable_when
        ]
        if len(question.enable_when) > 1:
            item["enableBehavior"] = "any"
        # Required only when shown: a question not asked is left out of the response.
    return item


def _field_item(text: field_texts.FieldText, **item) -> dict:
    """A built-in field (age, how long, the PEG scales, the clinic) in its published words."""
    children = _help_and_why(text.code, text.help_text, text.why_we_ask)
    return {"linkId": text.code, "text": text.label, **item, **({"item": children} if children else {})}


def _number_item(text: field_texts.FieldText) -> dict:
    _step, allowed = NUMBER_ITEMS[text.code]
    field = field_texts.FORMS[text.code].base_fields[text.code]
    return _field_item(
        text,
        type="integer",
        required=bool(field.required),
        extension=[
            {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": min(allowed)},
            {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": max(allowed)},
        ],
    )


def questionnaire_build(
    *,
    ruleset: scoring.Ruleset,
    published_at: datetime,
    clinics: Sequence[Clinic],
    urls: FhirUrls,
    texts: field_texts.FieldTexts | None = None,
) -> dict:
    """The published ruleset as a FHIR R4 Questionnaire.

    Steps after the safety questions carry ``enableWhen`` (every red flag
    answered no): a red flag ends the questionnaire at once. ``texts``: the
    ruleset's words for the built-in fields (triage.selectors.field_texts_get);
    the built-in words when not given. Help lines and "why we ask" are display
    child items ("help", "flyover"), as for the yes/no questions.
    """
    texts = texts or field_texts.built_in()
    no_red_flags = [{"question": code, "operator": "=", "answerBoolean": False} for code in _red_flag_codes(ruleset)]
    after_safety = {"enableWhen": no_red_flags, "enableBehavior": "all"}
    items = [
        {
            "linkId": step.name,
            "text": step.title,
            "type": "group",
            **({"required": True} if step is steps.SAFETY else after_safety),
            "item": [
                *([_number_item(texts[field_texts.AGE])] if step is steps.SAFETY else []),
                *(_boolean_item(q) for q in ruleset.questions_of_kind(*step.kinds)),
            ],
        }
        for step in steps.QUESTION_STEPS
    ]
    items.append(
        {
            "linkId": steps.DURATION.name,
            "text": steps.DURATION.title,
            "type": "group",
            **after_safety,
            "item": [
                _field_item(
                    texts[field_texts.PAIN_DURATION],
                    type="choice",
                    required=True,
                    answerOption=[
                        {
                            "valueCoding": {
                                "system": urls.code_system("pain-duration"),
                                "code": code,
                                "display": str(label),
                            }
                        }
                        for code, label in PainDuration.choices
                    ],
                ),
                _field_item(
                    texts[field_texts.PAIN_INTENSITY],
                    type="integer",
                    required=True,
                    answerOption=[{"valueInteger": n} for n in scoring.INTENSITY_RANGE],
                ),
                _number_item(texts[field_texts.ENJOYMENT]),
                _number_item(texts[field_texts.ACTIVITY]),
            ],
        }
    )
    consent_given = {"enableWhen": [{"question": "contact_consent", "operator": "=", "answerBoolean": True}]}
    items.append(
        {
            "linkId": steps.CONTACT.name,
            "text": steps.CONTACT.title,
            "type": "group",
            **after_safety,
            "item": [
                _field_item(
                    texts[field_texts.CLINIC],
                    type="choice",
                    answerOption=[
                        {
                            "valueCoding": {
                                "system": urls.code_system("clinic"),
                                "code": clinic.slug,
                                "display": clinic.label,
                            }
                        }
                        for clinic in clinics
                    ],
                ),
                {
                    "linkId": "contact_consent",
                    "text": str(ContactForm.base_fields["contact_consent"].label),
                    "type": "boolean",
                },
                *(
                    {
                        "linkId": name,
                        "text": str(ContactForm.base_fields[name].label),
                        "type": "string",
                        **consent_given,
                    }
                    for name in CONTACT_FIELDS
                ),
                {
                    "linkId": "booking_preferred",
                    "text": "Days and times that suit for an appointment (from a booking request)",
                    "type": "string",
                },
            ],
        }
    )
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": urls.questionnaire,
        "version": str(ruleset.version),
        "name": "HipBackSelfCheck",
        "title": "Hip and back pain self-check",
        "status": "active",
        "subjectType": ["Patient"],
        "date": published_at.isoformat(),
        "publisher": "Foot Foundation",
        "description": (
            "Screens for red flags first, then asks about hip, groin, leg and lower back symptoms and foot "
            "mechanics. Results suggest what the answers may be consistent with; they are not a diagnosis."
        ),
        "item": items,
    }


def questionnaire_response_build(
    *, submission: Submission, ruleset: scoring.Ruleset, urls: FhirUrls, preferred_times: Sequence[str] = ()
) -> dict:
    """One submission as a completed FHIR R4 QuestionnaireResponse.

    ``ruleset`` is the version the submission was scored with. Only questions
    the person was asked appear: after a red flag, the safety answers alone.
    ``preferred_times``: the days and times that suit, in words, one per
    booking request (callers read them; this module makes no queries).
    """
    answered = submission.answers

    def booleans(questions: Iterable[scoring.Question]) -> list[dict]:
        return [
            {"linkId": q.code, "text": q.text, "answer": [{"valueBoolean": bool(answered[q.code])}]}
            for q in questions
            if q.code in answered
        ]

    def numbers(step: steps.Step) -> list[dict]:
        return [
            {"linkId": name, "answer": [{"valueInteger": getattr(submission, name)}]}
            for name, (asked_on, _allowed) in NUMBER_ITEMS.items()
            if asked_on is step and getattr(submission, name) is not None
        ]

    groups = [(step, numbers(step) + booleans(ruleset.questions_of_kind(*step.kinds))) for step in steps.QUESTION_STEPS]
    duration = []
    if submission.pain_duration:
        duration.append(
            {
                "linkId": "pain_duration",
                "answer": [
                    {
                        "valueCoding": {
                            "system": urls.code_system("pain-duration"),
                            "code": submission.pain_duration,
                            "display": str(PainDuration(submission.pain_duration).label),
                        }
                    }
                ],
            }
        )
    if submission.pain_intensity is not None:
        duration.append({"linkId": "pain_intensity", "answer": [{"valueInteger": submission.pain_intensity}]})
    groups.append((steps.DURATION, duration + numbers(steps.DURATION)))
    contact = []
    if submission.clinic_id is not None:
        clinic = submission.clinic
        contact.append(
            {
                "linkId": "clinic",
                "answer": [
                    {
                        "valueCoding": {
                            "system": urls.code_system("clinic"),
                            "code": clinic.slug,
                            "display": clinic.label,
                        }
                    }
                ],
            }
        )
    if submission.contact_consent:
        contact.append({"linkId": "contact_consent", "answer": [{"valueBoolean": True}]})
        for field in CONTACT_FIELDS:
            value = getattr(submission, field)
            if value:
                contact.append({"linkId": field, "answer": [{"valueString": value}]})
    if preferred_times:
        contact.append({"linkId": "booking_preferred", "answer": [{"valueString": words} for words in preferred_times]})
    groups.append((steps.CONTACT, contact))
    return {
        "resourceType": "QuestionnaireResponse",
        "id": submission.reference,
        "identifier": {"system": urls.reference_system, "value": submission.reference},
        "questionnaire": f"{urls.questionnaire}|{ruleset.version}",
        "status": "completed",
        "authored": submission.created_at.isoformat(),
        # A group with nothing answered is left out: FHIR wants answers or items in every item.
        "item": [{"linkId": step.name, "text": step.title, "item": children} for step, children in groups if children],
    }
