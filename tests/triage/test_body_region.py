"""The where-it-hurts screen's body diagram reads which question sits where from the content (Question.body_region)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from audit.actor import SYSTEM
from tests.triage.test_views import answer_steps
from triage import selectors, services
from triage.models import BodyRegion, Question, RulesetVersion

pytestmark = pytest.mark.django_db

# Ruleset 2 places the outer hip on the question about pain there, never on the pressing test.
SEEDED = {
    "outer_hip_pain": BodyRegion.HIP,
    "groin_pain": BodyRegion.GROIN,
    "low_back_buttock_pain": BodyRegion.LOWER_BACK_BUTTOCK,
    "radiating_leg_pain": BodyRegion.LEG,
}


def diagram_buttons(client) -> dict[str, str]:
    """The where-it-hurts screen's diagram areas: area to the question codes it ticks."""
    client.post(reverse("triage:check"), {"restart": "1"})
    answer_steps(client, selectors.ruleset_get(), upto="about_you")
    page = client.get(reverse("triage:check_step", kwargs={"step": "where"})).content.decode()
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
        "lower_back_buttock": "low_back_buttock_pain",
        "leg": "radiating_leg_pain",
    }


def test_placing_a_question_is_a_content_change_seen_once_published(client):
    versions = RulesetVersion.objects.count()
    Question.objects.filter(code="radiating_leg_pain").update(body_region="")
    Question.objects.filter(code="groin_pain").update(body_region=BodyRegion.HIP)
    assert "leg" in diagram_buttons(client)  # the draft does not reach patients
    services.ruleset_publish(note="diagram: the groin is shown with the hip", actor=SYSTEM)
    buttons = diagram_buttons(client)
    assert "leg" not in buttons and "groin" not in buttons
    assert buttons["hip"] == "outer_hip_pain groin_pain"
    assert RulesetVersion.objects.count() == versions + 1
