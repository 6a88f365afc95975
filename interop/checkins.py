"""Follow-up check-ins as FHIR R4: their Questionnaire, and one QuestionnaireResponse per answered check-in.

Each response names the self-check it follows up in ``partOf`` (a reference
to the submission's own QuestionnaireResponse, whose id is its reference
code) and carries the same ``identifier`` system with its own value, e.g.
``ABCD2345-week6``. R4 lists Observation and Procedure as partOf's targets;
no element is closer to "the follow-up of that response", and the FHIR
libraries and servers we know accept it. Like interop.resources, plain dicts
built without queries.
"""

from __future__ import annotations

from collections.abc import Sequence

from followups.models import CheckIn, CheckInStatus, GlobalChange, SeenProfessional
from triage import scoring
from triage.models import Submission

from .resources import RED_FLAG_KINDS, FhirUrls

CHECKIN_QUESTIONNAIRE_ID = "hip-back-check-in"
CHECKIN_QUESTIONNAIRE_VERSION = "1"
# linkId -> the question as the Questionnaire states it.
PEG_ITEMS = {
    "pain_intensity": "In the past week, your average pain, from 0 (no pain) to 10 (as bad as you can imagine).",
    "enjoyment_interference": (
        "In the past week, how much pain got in the way of enjoying life, from 0 (not at all) to 10 (completely)."
    ),
    "activity_interference": (
        "In the past week, how much pain got in the way of your usual activities, from 0 (not at all) "
        "to 10 (completely)."
    ),
}
GLOBAL_CHANGE_TEXT = "Since the self-check, how is the problem overall?"
SEEN_TEXT = "Since the self-check, have you seen a health professional about it?"
RED_FLAGS_TEXT = "Do you have any of these now?"


def checkin_questionnaire_url(urls: FhirUrls) -> str:
    return f"{urls.base}/Questionnaire/{CHECKIN_QUESTIONNAIRE_ID}"


def checkin_response_id(*, reference: str, week: int) -> str:
    return f"{reference}-week{week}"


def _coding(urls: FhirUrls, system: str, code: str | int, display: str) -> dict:
    return {"system": urls.code_system(system), "code": str(code), "display": display}


def _zero_to_ten(link_id: str, text: str) -> dict:
    return {
        "linkId": link_id,
        "text": text,
        "type": "integer",
        "required": True,
        "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
            {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 10},
        ],
    }


def checkin_questionnaire_build(*, ruleset: scoring.Ruleset, urls: FhirUrls) -> dict:
    """The check-in's questions: PEG, the global rating of change, who they saw, and the warning signs."""
    red_flags = ruleset.questions_of_kind(*RED_FLAG_KINDS)
    return {
        "resourceType": "Questionnaire",
        "id": CHECKIN_QUESTIONNAIRE_ID,
        "url": checkin_questionnaire_url(urls),
        "version": CHECKIN_QUESTIONNAIRE_VERSION,
        "name": "HipBackCheckIn",
        "title": "Hip and back pain self-check: 6 and 12-week check-in",
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "Foot Foundation",
        "description": (
            "Asked 6 and 12 weeks after a self-check, of people who agreed to it: the three PEG questions, "
            "a 7-point global rating of change, whether they have seen a health professional, and the "
            "warning signs again."
        ),
        "item": [
            *(_zero_to_ten(link_id, text) for link_id, text in PEG_ITEMS.items()),
            {
                "linkId": "global_change",
                "text": GLOBAL_CHANGE_TEXT,
                "type": "choice",
                "required": True,
                "answerOption": [
                    {"valueCoding": _coding(urls, "global-change", value, str(label))}
                    for value, label in GlobalChange.choices
                ],
            },
            {
                "linkId": "seen_professional",
                "text": SEEN_TEXT,
                "type": "choice",
                "answerOption": [
                    {"valueCoding": _coding(urls, "seen-professional", value, str(label))}
                    for value, label in SeenProfessional.choices
                ],
            },
            {
                "linkId": "red_flags",
                "text": RED_FLAGS_TEXT,
                "type": "choice",
                "repeats": True,
                "answerOption": [
                    {"valueCoding": _coding(urls, "warning-sign", q.code, q.summary or q.text)} for q in red_flags
                ],
            },
        ],
    }


def checkin_response_build(
    *, checkin: CheckIn, submission: Submission, ruleset: scoring.Ruleset, urls: FhirUrls
) -> dict:
    """One answered check-in as a QuestionnaireResponse, ``partOf`` the submission's response.

    ``ruleset``: where the warning signs' words come from (a code it lacks is sent as its code).
    """
    items = [
        {"linkId": link_id, "text": text, "answer": [{"valueInteger": getattr(checkin, link_id)}]}
        for link_id, text in PEG_ITEMS.items()
        if getattr(checkin, link_id) is not None
    ]
    if checkin.global_change:
        label = str(GlobalChange(checkin.global_change).label)
        items.append(
            {
                "linkId": "global_change",
                "text": GLOBAL_CHANGE_TEXT,
                "answer": [{"valueCoding": _coding(urls, "global-change", checkin.global_change, label)}],
            }
        )
    if checkin.seen_professional:
        label = (
            str(SeenProfessional(checkin.seen_professional).label)
            if checkin.seen_professional in SeenProfessional.values
            else checkin.seen_professional
        )
        items.append(
            {
                "linkId": "seen_professional",
                "text": SEEN_TEXT,
                "answer": [{"valueCoding": _coding(urls, "seen-professional", checkin.seen_professional, label)}],
            }
        )
    if checkin.red_flags:
        answers = []
        for code in checkin.red_flags:
            question = ruleset.by_code.get(code)
            display = (question.summary or question.text) if question else code
            answers.append({"valueCoding": _coding(urls, "warning-sign", code, display)})
        items.append({"linkId": "red_flags", "text": RED_FLAGS_TEXT, "answer": answers})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": checkin_response_id(reference=submission.reference, week=checkin.week),
        "identifier": {
            "system": urls.reference_system,
            "value": checkin_response_id(reference=submission.reference, week=checkin.week),
        },
        "partOf": [
            {
                "reference": f"QuestionnaireResponse/{submission.reference}",
                "display": f"Self-check {submission.reference}",
            }
        ],
        "questionnaire": f"{checkin_questionnaire_url(urls)}|{CHECKIN_QUESTIONNAIRE_VERSION}",
        "status": "completed",
        "authored": (checkin.answered_at or checkin.sent_at or checkin.created_at).isoformat(),
        "item": items,
    }


def answered_checkins(submission: Submission) -> Sequence[CheckIn]:
    """A submission's answered check-ins, 6 weeks first, from its prefetched (or fetched) ``checkins``."""
    return sorted((c for c in submission.checkins.all() if c.status == CheckInStatus.ANSWERED), key=lambda c: c.week)
