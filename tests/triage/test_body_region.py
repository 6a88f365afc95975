"""The symptoms step's body diagram reads which question sits where from the content (Question.body_region)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from audit.actor import SYSTEM
from triage import scoring, selectors, services
from triage.models import BodyRegion, Question, RulesetVersion

pytestmark = pytest.mark.django_db

# As ruleset 2 (issue 11) leaves them: the outer hip area answers "pain on the outside of the hip",
# not the pressing test (which stays a question the person answers).
SEEDED = {
    "outer_hip_pain": BodyRegion.HIP,
    "groin_pain": BodyRegion.GROIN,
    "low_back_buttock_pain": BodyRegion.LOWER_BACK_BUTTOCK,
    "radiating_leg_pain": BodyRegion.LEG,
}


def diagram_buttons(client) -> dict[str, str]:
    """The symptoms step's diagram buttons: area to the question codes it answers."""
    client.get(reverse("triage:check") + "?reset=1")
    safety = {q.code: "no" for q in selectors.ruleset_get().questions_of_kind(*scoring.SAFETY_KINDS)}
    payload = {"self_check_wizard-current_step": "safety", **{f"safety-{k}": v for k, v in safety.items()}}
    client.post(reverse("triage:check_step", kwargs={"step": "safety"}), payload)
    page = client.get(reverse("triage:check_step", kwargs={"step": "symptoms"})).content.decode()
    return dict(re.findall(r'data-region="(\w+)" data-codes="([\w ]*)"', page))


def test_the_migration_places_the_seeded_questions_about_where_it_hurts():
    placed = dict(Question.objects.exclude(body_region="").values_list("code", "body_region"))
    assert placed == SEEDED
    published = {q.code: q.body_region for q in selectors.ruleset_get().questions if q.body_region}
    assert published == SEEDED


def test_each_area_of_the_diagram_answers_the_questions_placed_there(client):
    assert diagram_buttons(client) == {
        "hip": "outer_hip_pain",
        "groin": "groin_pain",
        "buttock": "low_back_buttock_pain",
        "lower_back": "low_back_buttock_pain",
        "leg": "radiating_leg_pain",
    }


def test_placing_a_question_is_a_content_change_seen_once_published(client):
    Question.objects.filter(code="radiating_leg_pain").update(body_region="")
    Question.objects.filter(code="pain_lying_on_side").update(body_region=BodyRegion.HIP)
    assert "leg" in diagram_buttons(client)  # the draft does not reach patients
    services.ruleset_publish(note="diagram: lying on the side is about the hip", actor=SYSTEM)
    buttons = diagram_buttons(client)
    assert "leg" not in buttons
    assert buttons["hip"] == "outer_hip_pain pain_lying_on_side"
    assert RulesetVersion.objects.count() == 3  # versions 1 and 2 are seeded
