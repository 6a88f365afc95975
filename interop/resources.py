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

from triage import scoring
from triage.models import Clinic, PainDuration, Submission

QUESTIONNAIRE_ID = "hip-back-self-check"
GROUP_TEXTS = {
    "safety": "Safety questions",
    "symptoms": "Where it hurts and how",
    "feet": "Feet and how you move",
    "duration": "How long and how bad",
    "contact": "Clinic and contact details",
}
SYMPTOM_GROUPS = {"symptoms": (scoring.SYMPTOM,), "feet": (scoring.DRIVER,)}
RED_FLAG_KINDS = (scoring.EMERGENCY, scoring.DOCTOR_TODAY)


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


def _boolean_item(question: scoring.Question) -> dict:
    item = {"linkId": question.code, "text": question.text, "type": "boolean", "required": True}
    if question.help_text:
        # The patient-facing help line, as FHIR's standard "help" display item.
        item["item"] = [
            {
                "linkId": f"{question.code}.help",
                "text": question.help_text,
                "type": "display",
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
                        "valueCodeableConcept": {
                            "coding": [
                                {
                                    "system": "http://hl7.org/fhir/questionnaire-item-control",
                                    "code": "help",
                                }
                            ]
                        },
                    }
                ],
            }
        ]
    return item


def _clinic_display(clinic: Clinic) -> str:
    return f"{clinic.name} ({clinic.region})" if clinic.region else clinic.name


def questionnaire_build(
    *, ruleset: scoring.Ruleset, published_at: datetime, clinics: Sequence[Clinic], urls: FhirUrls
) -> dict:
    """The published ruleset as a FHIR R4 Questionnaire.

    Steps after the safety questions carry ``enableWhen`` (every red flag
    answered no): a red flag ends the questionnaire at once.
    """
    no_red_flags = [{"question": code, "operator": "=", "answerBoolean": False} for code in _red_flag_codes(ruleset)]
    after_safety = {"enableWhen": no_red_flags, "enableBehavior": "all"}
    items = [
        {
            "linkId": "safety",
            "text": GROUP_TEXTS["safety"],
            "type": "group",
            "required": True,
            "item": [_boolean_item(q) for q in ruleset.questions_of_kind(*RED_FLAG_KINDS)],
        }
    ]
    for group, kinds in SYMPTOM_GROUPS.items():
        items.append(
            {
                "linkId": group,
                "text": GROUP_TEXTS[group],
                "type": "group",
                **after_safety,
                "item": [_boolean_item(q) for q in ruleset.questions_of_kind(*kinds)],
            }
        )
    items.append(
        {
            "linkId": "duration",
            "text": GROUP_TEXTS["duration"],
            "type": "group",
            **after_safety,
            "item": [
                {
                    "linkId": "pain_duration",
                    "text": "How long have you had this pain?",
                    "type": "choice",
                    "required": True,
                    "answerOption": [
                        {
                            "valueCoding": {
                                "system": urls.code_system("pain-duration"),
                                "code": code,
                                "display": str(label),
                            }
                        }
                        for code, label in PainDuration.choices
                    ],
                },
                {
                    "linkId": "pain_intensity",
                    "text": "How bad is the pain on a typical day? 0 is no pain, 10 the worst you can imagine.",
                    "type": "integer",
                    "required": True,
                    "answerOption": [{"valueInteger": n} for n in scoring.INTENSITY_RANGE],
                },
            ],
        }
    )
    consent_given = {"enableWhen": [{"question": "contact_consent", "operator": "=", "answerBoolean": True}]}
    items.append(
        {
            "linkId": "contact",
            "text": GROUP_TEXTS["contact"],
            "type": "group",
            **after_safety,
            "item": [
                {
                    "linkId": "clinic",
                    "text": "Which clinic would suit you best?",
                    "type": "choice",
                    "answerOption": [
                        {
                            "valueCoding": {
                                "system": urls.code_system("clinic"),
                                "code": clinic.slug,
                                "display": _clinic_display(clinic),
                            }
                        }
                        for clinic in clinics
                    ],
                },
                {
                    "linkId": "contact_consent",
                    "text": "I would like the clinic to contact me about these answers",
                    "type": "boolean",
                },
                {"linkId": "contact_name", "text": "Name", "type": "string", **consent_given},
                {"linkId": "contact_email", "text": "Email", "type": "string", **consent_given},
                {"linkId": "contact_phone", "text": "Phone", "type": "string", **consent_given},
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

    groups = [("safety", booleans(ruleset.questions_of_kind(*RED_FLAG_KINDS)))]
    groups += [(group, booleans(ruleset.questions_of_kind(*kinds))) for group, kinds in SYMPTOM_GROUPS.items()]
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
    groups.append(("duration", duration))
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
                            "display": _clinic_display(clinic),
                        }
                    }
                ],
            }
        )
    if submission.contact_consent:
        contact.append({"linkId": "contact_consent", "answer": [{"valueBoolean": True}]})
        for field in ("contact_name", "contact_email", "contact_phone"):
            value = getattr(submission, field)
            if value:
                contact.append({"linkId": field, "answer": [{"valueString": value}]})
    if preferred_times:
        contact.append({"linkId": "booking_preferred", "answer": [{"valueString": words} for words in preferred_times]})
    groups.append(("contact", contact))
    return {
        "resourceType": "QuestionnaireResponse",
        "id": submission.reference,
        "identifier": {"system": urls.reference_system, "value": submission.reference},
        "questionnaire": f"{urls.questionnaire}|{ruleset.version}",
        "status": "completed",
        "authored": submission.created_at.isoformat(),
        # A group with nothing answered is left out: FHIR wants answers or items in every item.
        "item": [
            {"linkId": group, "text": GROUP_TEXTS[group], "item": children} for group, children in groups if children
        ],
    }


@dataclass(frozen=True)
class ResponseAnswers:
    """What a QuestionnaireResponse says, in the scoring's terms."""

    ruleset_version: int | None
    answers: dict[str, bool]
    pain_duration: str | None
    pain_intensity: int | None
    clinic: str | None


def _walk(items: Iterable[dict]) -> Iterable[dict]:
    for item in items:
        yield item
        yield from _walk(item.get("item", []))
        for answer in item.get("answer", []):
            yield from _walk(answer.get("item", []))


def answers_from_questionnaire_response(resource: dict, *, ruleset: scoring.Ruleset) -> ResponseAnswers:
    """Read the answers back out of a QuestionnaireResponse (the reverse of the builder)."""
    canonical = resource.get("questionnaire", "")
    version = canonical.rpartition("|")[2] if "|" in canonical else ""
    answers: dict[str, bool] = {}
    duration = intensity = clinic = None
    for item in _walk(resource.get("item", [])):
        values = item.get("answer") or []
        if not values:
            continue
        value = values[0]
        link_id = item["linkId"]
        if link_id in ruleset.by_code and "valueBoolean" in value:
            answers[link_id] = value["valueBoolean"]
        elif link_id == "pain_duration":
            duration = value["valueCoding"]["code"]
        elif link_id == "pain_intensity":
            intensity = value["valueInteger"]
        elif link_id == "clinic":
            clinic = value["valueCoding"]["code"]
    return ResponseAnswers(
        ruleset_version=int(version) if version.isdigit() else None,
        answers=answers,
        pain_duration=duration,
        pain_intensity=intensity,
        clinic=clinic,
    )
