"""Past submissions keep their results: ruleset 1 scores exactly as it did before issue 11.

tests/data/ruleset1_results.json holds the clinician examples and 300 random
answer sets, scored with ruleset 1 by the scoring as it was before the second
ruleset (commit 17395be): the stored record and the assess output of each.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triage import scoring, services
from triage.payload import assessment_to_payload

GOLDEN = json.loads((Path(__file__).parent.parent / "data" / "ruleset1_results.json").read_text())["cases"]


@pytest.mark.parametrize("case", GOLDEN, ids=[f"case-{n}" for n in range(len(GOLDEN))])
def test_ruleset_1_scores_every_answer_set_exactly_as_before(ruleset, case):
    given = case["input"]
    assessment = scoring.score(
        ruleset, scoring.Answers.from_mapping(given["answers"], given["pain_duration"], given["pain_intensity"])
    )
    record = services.assessment_record(assessment)
    assert {key: record[key] for key in case["record"]} == case["record"]
    # Version 2 of the contract only adds fields: every version 1 field keeps its value.
    payload = assessment_to_payload(assessment)
    for condition in payload["conditions"]:
        del condition["against"]
    assert {key: payload[key] for key in case["payload"]} == case["payload"]
