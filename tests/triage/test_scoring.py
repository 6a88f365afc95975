"""The clinical heart, tested without a database."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from triage import scoring
from triage.payload import InvalidPayload, answers_from_payload
from triage.scoring import Answers, score


def assess(ruleset, *yes, duration=None, intensity=None):
    return score(ruleset, Answers(frozenset(yes), duration, intensity))


def top(assessment):
    return assessment.suggestions[0].slug if assessment.suggestions else None


@pytest.mark.parametrize("module", ["scoring", "payload", "vocabulary", "escalation"])
def test_scoring_and_its_pure_modules_import_nothing_from_django(module):
    tree = ast.parse((Path(scoring.__file__).parent / f"{module}.py").read_text())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names] + [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ]
    assert not [name for name in imported if name.startswith("django")]


@pytest.mark.parametrize(
    ("slug", "picture"),
    [
        ("hip-bursitis", ["pain_lying_on_side", "pain_walking_running_stairs", "outer_hip_tenderness"]),
        ("hip-impingement", ["groin_pain", "clicking_catching", "pain_deep_flexion_twisting"]),
        ("sciatica", ["radiating_leg_pain", "tingling_numbness_burning", "worse_prolonged_standing_walking"]),
        ("si-joint", ["low_back_buttock_pain", "difficulty_bending_twisting_standing", "pelvic_instability"]),
    ],
)
def test_each_conditions_classic_picture_suggests_it_first(ruleset, slug, picture):
    result = assess(ruleset, *picture, duration="under_6_weeks")
    assert result.disposition == scoring.DISPOSITION_BOOK_ASSESSMENT
    assert top(result) == slug
    first = result.suggestions[0]
    assert set(picture) <= set(first.matched)
    assert not set(picture) & set(first.missing)


@pytest.mark.parametrize("case", EXAMPLES, ids=[case["id"] for case in EXAMPLES])
def test_clinician_examples(ruleset, case):
    result = score(
        ruleset, Answers.from_mapping(case["answers"], case.get("pain_duration"), case.get("pain_intensity"))
    )
    assert result.disposition == case["disposition"]
    if "top" in case:
        assert top(result) == case["top"]
    if case.get("no_conditions"):
        assert result.suggestions == ()
    for driver in case.get("drivers", []):
        assert driver in result.drivers


def test_emergency_flag_wins_over_everything(ruleset):
    result = assess(
        ruleset, "bladder_bowel_change", "fever_unwell", "groin_pain", "clicking_catching", duration="over_12_weeks"
    )
    assert result.disposition == scoring.DISPOSITION_EMERGENCY
    assert result.red_flags == ("bladder_bowel_change", "fever_unwell")


@pytest.mark.parametrize(
    "code", ["saddle_numbness", "bladder_bowel_change", "progressive_leg_weakness", "major_trauma"]
)
def test_every_emergency_flag_alone_is_an_emergency(ruleset, code):
    assert assess(ruleset, code).disposition == scoring.DISPOSITION_EMERGENCY


@pytest.mark.parametrize(
    "code", ["fever_unwell", "cancer_history", "unexplained_weight_loss", "night_pain_unrelenting"]
)
def test_every_doctor_flag_alone_sends_to_a_doctor_today_even_with_a_strong_picture(ruleset, code):
    result = assess(ruleset, code, "pain_lying_on_side", "outer_hip_tenderness", duration="over_12_weeks")
    assert result.disposition == scoring.DISPOSITION_SEE_DOCTOR_TODAY
    assert result.red_flags == (code,)


def test_empty_answers_are_self_care_with_nothing_suggested(ruleset):
    result = assess(ruleset)
    assert result.disposition == scoring.DISPOSITION_SELF_CARE
    assert result.suggestions == ()
    assert result.red_flags == ()
    assert result.drivers == ()
    assert all(s.score == 0 for s in result.scores)


@pytest.mark.parametrize(
    ("duration", "expected"),
    [("under_6_weeks", "self_care"), ("6_to_12_weeks", "book_assessment"), ("over_12_weeks", "book_assessment")],
)
def test_pain_for_six_weeks_or_more_is_a_reason_to_be_assessed(ruleset, duration, expected):
    result = assess(ruleset, duration=duration)
    assert result.disposition == expected
    assert (scoring.DURATION_REASON in result.assessment_reasons) == (expected == "book_assessment")


@pytest.mark.parametrize("code", ["radiating_leg_pain", "worse_prolonged_standing_walking"])
def test_clinic_listed_symptoms_alone_prompt_an_assessment(ruleset, code):
    result = assess(ruleset, code, duration="under_6_weeks")
    assert result.disposition == scoring.DISPOSITION_BOOK_ASSESSMENT
    assert code in result.assessment_reasons


@pytest.mark.parametrize(
    "driver",
    [
        "flat_feet_pronation",
        "high_arches",
        "leg_length_difference",
        "uneven_shoe_wear",
        "hip_tightness",
        "gluteal_weakness",
        "worse_with_running_training",
    ],
)
def test_a_driver_alone_prompts_an_assessment_but_never_suggests_a_condition(ruleset, driver):
    result = assess(ruleset, driver, duration="under_6_weeks")
    assert result.disposition == scoring.DISPOSITION_BOOK_ASSESSMENT
    assert result.suggestions == ()
    assert result.drivers == (driver,)
    assert all(s.score == 0 for s in result.scores)


def test_all_drivers_together_still_suggest_nothing(ruleset):
    drivers = [q.code for q in ruleset.questions_of_kind(scoring.DRIVER)]
    assert assess(ruleset, *drivers).suggestions == ()


def test_a_driver_raises_the_conditions_it_feeds(ruleset):
    without = assess(ruleset, "low_back_buttock_pain")
    with_driver = assess(ruleset, "low_back_buttock_pain", "leg_length_difference")
    si_without = next(s for s in without.scores if s.slug == "si-joint")
    si_with = next(s for s in with_driver.scores if s.slug == "si-joint")
    assert si_with.score > si_without.score
    assert "leg_length_difference" in si_with.matched
    # ...and that lift can carry a borderline picture over the threshold.
    assert not si_without.suggested and si_with.suggested


def test_a_driver_does_not_raise_a_condition_it_does_not_feed(ruleset):
    base = assess(ruleset, "radiating_leg_pain")
    raised = assess(ruleset, "radiating_leg_pain", "leg_length_difference")
    sciatica = [next(s for s in r.scores if s.slug == "sciatica") for r in (base, raised)]
    assert sciatica[0].score == sciatica[1].score


def _toy(conditions, extra_questions=()):
    codes = {code for _slug, weights in conditions for code, _w in weights}
    questions = tuple(
        scoring.Question(code=code, kind=scoring.DRIVER if code.startswith("drv") else scoring.SYMPTOM, order=i)
        for i, code in enumerate(sorted(codes | set(extra_questions)))
    )
    return scoring.Ruleset(
        version=7,
        questions=questions,
        conditions=tuple(
            scoring.Condition(slug=slug, name=slug.title(), threshold=0.4, weights=tuple(weights), order=i)
            for i, (slug, weights) in enumerate(conditions)
        ),
    )


def test_scores_are_normalised_so_more_listed_symptoms_do_not_win():
    ruleset = _toy(
        [("many", [("a", 1), ("b", 1), ("c", 1), ("d", 1), ("e", 1), ("f", 1)]), ("few", [("a", 1), ("b", 1)])]
    )
    result = assess(ruleset, "a", "b")
    assert [s.slug for s in result.suggestions] == ["few"]
    assert result.suggestions[0].score == 1.0


def test_an_exact_tie_follows_the_ruleset_order():
    ruleset = _toy([("first", [("a", 2), ("b", 2)]), ("second", [("a", 2), ("c", 2)])])
    result = assess(ruleset, "a")
    assert [s.score for s in result.suggestions] == [0.5, 0.5]
    assert [s.slug for s in result.suggestions] == ["first", "second"]


def test_a_tie_prefers_the_condition_whose_score_comes_from_symptoms():
    # driven: (1 symptom + 2 driver) / 4 = 0.75; pure: 3 / 4 = 0.75.
    ruleset = _toy([("driven", [("a", 1), ("b", 1), ("c", 2), ("drv", 2)]), ("pure", [("a", 3), ("d", 1)])])
    result = assess(ruleset, "a", "drv")
    assert [s.score for s in result.suggestions] == [0.75, 0.75]
    assert [s.slug for s in result.suggestions] == ["pure", "driven"]


def test_at_most_three_suggestions_highest_first():
    ruleset = _toy([(f"c{i}", [("a", 1), (f"x{i}", i)]) for i in range(1, 6)])
    result = assess(ruleset, "a", *[f"x{i}" for i in range(1, 6)])
    assert len(result.suggestions) == scoring.MAX_SUGGESTIONS == 3
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert len(result.scores) == 5


def test_threshold_is_inclusive():
    ruleset = _toy([("edge", [("a", 2), ("b", 3)])])  # a alone scores 2/5 = 0.4
    assert [s.slug for s in assess(ruleset, "a").suggestions] == ["edge"]


def test_codes_the_ruleset_does_not_know_are_ignored(ruleset):
    assert assess(ruleset, "not_a_question").disposition == scoring.DISPOSITION_SELF_CARE


def test_result_reports_matched_weights_and_missing_telling_symptoms(ruleset):
    result = assess(ruleset, "groin_pain", "clicking_catching", "hip_tightness")
    impingement = result.suggestions[0]
    assert impingement.contributions == (("groin_pain", 3), ("clicking_catching", 3), ("hip_tightness", 1))
    assert impingement.missing == ("pain_deep_flexion_twisting",)
    assert impingement.symptom_points == 6 and impingement.driver_points == 1 and impingement.symptom_total == 9
    assert impingement.score == round(7 / 9, 3)


def test_results_are_frozen(ruleset):
    result = assess(ruleset, "groin_pain")
    with pytest.raises(AttributeError):
        result.disposition = "self_care"


@pytest.mark.parametrize(
    ("weights", "message"),
    [([("saddle", 1)], "red flag"), ([("ghost", 1)], "unknown question")],
)
def test_inconsistent_rulesets_are_refused(weights, message):
    questions = (scoring.Question(code="saddle", kind=scoring.EMERGENCY),)
    with pytest.raises(ValueError, match=message):
        scoring.Ruleset(
            version=1,
            questions=questions,
            conditions=(scoring.Condition(slug="x", name="X", threshold=0.4, weights=tuple(weights)),),
        )


def test_payload_is_parsed_into_answers(ruleset):
    answers = answers_from_payload(
        {
            "answers": {"groin_pain": True, "clicking_catching": False},
            "pain_duration": "over_12_weeks",
            "pain_intensity": 0,
        },
        ruleset,
    )
    assert answers == Answers(frozenset({"groin_pain"}), "over_12_weeks", 0)
    assert answers_from_payload({"answers": {}}, ruleset) == Answers(frozenset())


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ([], "JSON object"),
        ({}, "'answers' is required"),
        ({"answers": []}, "'answers' must be an object"),
        ({"answers": {"nope": True}}, "unknown question code 'nope'"),
        ({"answers": {"groin_pain": "yes"}}, "answer to 'groin_pain' must be true or false, not 'yes'"),
        ({"answers": {"groin_pain": 1}}, "not 1"),
        ({"answers": {"groin_pain": None}}, "not null"),
        ({"answers": {}, "pain_duration": "a while"}, "'pain_duration' must be one of"),
        ({"answers": {}, "pain_duration": ["over_12_weeks"]}, "not an array"),
        ({"answers": {}, "pain_intensity": 11}, "'pain_intensity' must be a whole number from 0 to 10, not 11"),
        ({"answers": {}, "pain_intensity": -1}, "not -1"),
        ({"answers": {}, "pain_intensity": 4.5}, "not 4.5"),
        ({"answers": {}, "pain_intensity": True}, "not true"),
        ({"answers": {}, "extra": 1}, "unknown field 'extra'"),
    ],
)
def test_bad_payloads_are_refused_naming_the_problem(ruleset, payload, fragment):
    with pytest.raises(InvalidPayload) as caught:
        answers_from_payload(payload, ruleset)
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.django_db
def test_the_questions_asked_are_those_their_enabling_answers_allow_for_any_answers(db_ruleset):
    """Ruleset.asked (score()'s fast path) agrees with question_enabled, question by question."""
    rng = random.Random(12)
    codes = [q.code for q in db_ruleset.questions]
    assert any(q.enable_when for q in db_ruleset.questions)  # the published ruleset has follow-ups
    for _ in range(300):
        yes = frozenset(rng.sample(codes, rng.randint(0, len(codes))))
        said = {code: code in yes for code in codes}
        expected = {q.code for q in db_ruleset.questions if db_ruleset.question_enabled(q, said)}
        assert db_ruleset.asked(yes) == expected
