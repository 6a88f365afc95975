"""The JSON contract shared by the ``assess`` command and the API: turning a decoded request into
Answers (or an InvalidPayload naming every problem) and an Assessment into the response.

Pure Python like triage.scoring (no Django), split from it to keep each module short.
"""

from __future__ import annotations

from .scoring import (
    AGE_RANGE,
    DURATIONS,
    INTENSITY_RANGE,
    INTERFERENCE_RANGE,
    Answers,
    Assessment,
    Ruleset,
)

PAYLOAD_FIELDS = (
    "answers",
    "pain_duration",
    "pain_intensity",
    # Contract version 2 (all optional, so a version 1 request stays valid):
    "age",
    "enjoyment_interference",
    "activity_interference",
)


class InvalidPayload(ValueError):
    """The input does not follow the contract; the message names every problem."""


def answers_from_payload(payload: object, ruleset: Ruleset) -> Answers:
    """Validate a decoded JSON request and turn it into Answers.

    Raises InvalidPayload with a one-line message naming each problem.
    """
    if not isinstance(payload, dict):
        raise InvalidPayload("the input must be a JSON object with an 'answers' field")
    problems = [f"unknown field {key!r}" for key in payload if key not in PAYLOAD_FIELDS]
    answers = payload.get("answers")
    if "answers" not in payload:
        problems.append("'answers' is required (use {} for none)")
    elif not isinstance(answers, dict):
        problems.append("'answers' must be an object mapping question codes to true or false")
    else:
        for code, value in answers.items():
            if code not in ruleset.by_code:
                problems.append(f"unknown question code {code!r}")
            elif not isinstance(value, bool):
                problems.append(f"answer to {code!r} must be true or false, not {_json_repr(value)}")
    duration = payload.get("pain_duration")
    if duration is not None and duration not in DURATIONS:
        problems.append(f"'pain_duration' must be one of {', '.join(DURATIONS)}, not {_json_repr(duration)}")
    intensity = payload.get("pain_intensity")
    if intensity is not None and (
        isinstance(intensity, bool) or not isinstance(intensity, int) or intensity not in INTENSITY_RANGE
    ):
        problems.append(f"'pain_intensity' must be a whole number from 0 to 10, not {_json_repr(intensity)}")
    for name in ("enjoyment_interference", "activity_interference"):
        value = payload.get(name)
        if value is not None and not _whole_number_in(value, INTERFERENCE_RANGE):
            problems.append(f"{name!r} must be a whole number from 0 to 10, not {_json_repr(value)}")
    age = payload.get("age")
    if age is not None and not _whole_number_in(age, AGE_RANGE):
        problems.append(
            f"'age' must be a whole number of years from 16 to 110 (the check is for adults), not {_json_repr(age)}"
        )
    if problems:
        raise InvalidPayload("; ".join(problems))
    return Answers.from_mapping(
        answers,
        duration,
        intensity,
        age=age,
        enjoyment_interference=payload.get("enjoyment_interference"),
        activity_interference=payload.get("activity_interference"),
    )


def _whole_number_in(value: object, allowed: range) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and value in allowed


def assessment_to_payload(assessment: Assessment) -> dict[str, object]:
    """The contract's response: disposition, suggested conditions (with the answers for and against
    each), drivers, red flags, and (version 2) the PEG score, whether ACC may cover it and what decided it."""
    return {
        "disposition": assessment.disposition,
        "conditions": [
            {
                "slug": s.slug,
                "name": s.name,
                "score": s.score,
                "matched": list(s.matched),
                "against": list(s.missing),
            }
            for s in assessment.suggestions
        ],
        "drivers": list(assessment.drivers),
        "red_flags": list(assessment.red_flags),
        "peg": assessment.peg,
        "acc_possible": assessment.acc_possible,
        "reasons": list(assessment.reasons),
    }


def _json_repr(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (int, float)):
        return str(value)
    return "an " + ("object" if isinstance(value, dict) else "array" if isinstance(value, list) else "value")
