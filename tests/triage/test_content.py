"""The seeded clinical content: complete, consistent, published, reversible.

The draft is ruleset 2 (issue 11: triage/migrations/0008_second_ruleset.py) on top of the seed (0002).
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.conftest import SEED, content_seed
from triage import field_texts, scoring, selectors
from triage.models import Clinic, Condition, ConditionWeight, Question, RulesetVersion

pytestmark = pytest.mark.django_db
SECOND = importlib.import_module("triage.migrations.0008_second_ruleset")


def draft_as_version_2_published_it() -> dict:
    """The draft without the built-in fields' words: those became content after version 2 (migration 0013).

    Version 2 reads them built in (triage.field_texts.built_in), the very words the draft was seeded with.
    """
    draft = selectors.draft_content_get()
    fields = draft.pop("fields")
    assert {f["code"]: field_texts.FieldText(**f) for f in fields} == field_texts.built_in()
    return draft


CODES = {
    "emergency": {
        "saddle_numbness", "bladder_bowel_change", "both_legs_symptoms", "progressive_leg_weakness", "major_trauma",
    },
    "doctor_today": {"fever_unwell", "unexplained_weight_loss", "night_pain_unrelenting"},
    "context": {"cancer_history", "accident_onset"},
    "symptom": {
        "outer_hip_pain", "pain_lying_on_side", "pain_walking_running_stairs", "outer_hip_tenderness", "groin_pain",
        "clicking_catching", "pain_deep_flexion_twisting", "radiating_leg_pain", "tingling_numbness_burning",
        "worse_prolonged_standing_walking", "low_back_buttock_pain", "difficulty_bending_twisting_standing",
        "pelvic_instability",
    },
    "driver": {
        "flat_feet_pronation", "high_arches", "leg_length_difference", "uneven_shoe_wear", "hip_tightness",
        "gluteal_weakness", "worse_with_running_training",
    },
}  # fmt: skip


def test_every_question_code_is_seeded_with_its_kind_and_words():
    for kind, codes in CODES.items():
        assert set(Question.objects.filter(kind=kind).values_list("code", flat=True)) == codes
    for question in Question.objects.all():
        assert question.text.endswith("?")
        assert question.summary
        assert question.why_we_ask, f"{question.code} says why it is asked"
        if question.kind == scoring.DRIVER:
            assert question.advice and question.prompts_assessment


def test_the_clinic_listed_reasons_to_be_assessed_are_flagged():
    flagged = set(Question.objects.filter(prompts_assessment=True).values_list("code", flat=True))
    assert flagged == CODES["driver"] | {
        "radiating_leg_pain",
        "worse_prolonged_standing_walking",
        "pain_walking_running_stairs",
    }


def test_four_conditions_with_plain_words_and_weights_on_their_telling_symptoms():
    assert set(Condition.objects.values_list("slug", flat=True)) == {
        "hip-bursitis",
        "hip-impingement",
        "sciatica",
        "si-joint",
    }
    telling = {
        "hip-bursitis": {"outer_hip_pain", "pain_lying_on_side", "pain_walking_running_stairs", "outer_hip_tenderness"},
        "hip-impingement": {"groin_pain", "clicking_catching", "pain_deep_flexion_twisting"},
        "sciatica": {"radiating_leg_pain", "tingling_numbness_burning", "worse_prolonged_standing_walking"},
        "si-joint": {"low_back_buttock_pain", "difficulty_bending_twisting_standing", "pelvic_instability"},
    }
    for condition in Condition.objects.all():
        assert condition.summary and condition.clinic_care
        weights = dict(condition.weights.values_list("question__code", "weight"))
        assert telling[condition.slug] <= set(weights)
        assert all(weights[code] >= 2 for code in telling[condition.slug])


def test_weights_only_link_symptoms_and_drivers():
    kinds = set(ConditionWeight.objects.values_list("question__kind", flat=True))
    assert kinds == {scoring.SYMPTOM, scoring.DRIVER}


def test_six_clinics_with_no_invented_contact_details():
    clinics = list(Clinic.objects.values_list("name", "region", "phone", "address", "opening_hours"))
    assert [c[0] for c in clinics] == ["Pinehill", "Takapuna", "Remuera", "Botany", "Hamilton", "Tauranga"]
    assert {c[1] for c in clinics} == {"Auckland", "Waikato", "Bay of Plenty"}
    assert all(c[2:] == ("", "", "") for c in clinics)


def test_ruleset_version_2_is_published_and_matches_the_draft_with_version_1_kept_as_it_was():
    assert list(RulesetVersion.objects.values_list("number", flat=True)) == [2, 1]
    assert RulesetVersion.objects.get(number=2).content == draft_as_version_2_published_it()
    ruleset = selectors.ruleset_get()
    assert ruleset.version == 2
    assert len(ruleset.questions) == sum(len(codes) for codes in CODES.values())
    first = RulesetVersion.objects.get(number=1).content
    assert "escalation_rules" not in first and len(first["questions"]) == 27
    assert selectors.ruleset_get_version(number=1).rules is None  # scored with scoring.LEGACY_RULES


def test_every_escalation_rule_has_a_reason_and_a_source():
    rules = selectors.ruleset_get().rules
    assert len(rules) == len(SECOND.RULES)
    for rule in rules:
        assert rule.reason.startswith("Because ") and rule.reason.endswith(".")
        assert rule.source


def test_the_seed_and_second_ruleset_migrations_reverse_cleanly_and_apply_again():
    SECOND.unpublish_second_ruleset(apps, None)
    assert list(RulesetVersion.objects.values_list("number", flat=True)) == [1]
    assert Question.objects.get(code="cancer_history").kind == scoring.DOCTOR_TODAY
    draft = draft_as_version_2_published_it()
    assert all(question.pop("why_we_ask") == "" for question in draft["questions"])
    assert all(question.pop("enable_when") == [] for question in draft["questions"])
    assert draft["escalation_rules"] == []
    del draft["escalation_rules"]
    assert RulesetVersion.objects.get().content == draft
    SEED.unseed(apps, None)
    assert not Question.objects.exists()
    assert not Condition.objects.exists() and not ConditionWeight.objects.exists()
    assert not Clinic.objects.exists() and not RulesetVersion.objects.exists()
    content_seed(apps)
    assert Question.objects.count() == 30 and Condition.objects.count() == 4 and Clinic.objects.count() == 6
    assert RulesetVersion.objects.get(number=2).content == draft_as_version_2_published_it()
