"""The outcome form offers the current conditions only, and keeps a retired one an outcome already names."""

from __future__ import annotations

import pytest
from django.utils import timezone

from audit.actor import Actor
from review import services
from review.forms import OutcomeForm
from tests.review_helpers import clinician, make_submission
from triage.models import Condition

pytestmark = pytest.mark.django_db


def offered(form: OutcomeForm) -> set[str]:
    return {str(value) for value, _label in form.fields["conditions"].choices}


def retire(slug: str) -> Condition:
    Condition.objects.filter(slug=slug).update(retired_at=timezone.now())
    return Condition.objects.get(slug=slug)


def test_a_new_outcome_offers_only_current_conditions_and_refuses_a_retired_one(db_ruleset):
    retire("sciatica")
    form = OutcomeForm()
    assert "sciatica" not in offered(form) and {"hip-bursitis", "si-joint"} <= offered(form)
    form = OutcomeForm(data={"conditions": ["sciatica"], "detail": ""})
    assert not form.is_valid()
    assert form.errors.as_data()["conditions"][0].code == "invalid_choice"


def test_an_outcome_naming_a_condition_retired_since_still_shows_it_ticked_and_keeps_it(db_ruleset):
    submission = make_submission(db_ruleset)
    outcome = services.outcome_record(
        submission=submission, conditions=[Condition.objects.get(slug="sciatica")], actor=Actor(user=clinician())
    )
    retire("sciatica")
    form = OutcomeForm(instance=outcome)
    assert "sciatica" in offered(form)
    assert [str(value) for value in form["conditions"].value()] == ["sciatica"]
    form = OutcomeForm(instance=outcome, data={"conditions": ["sciatica"], "detail": "kept"})
    assert form.is_valid(), form.errors
    # Another condition retired earlier, that this outcome never named, is still not offered.
    retire("si-joint")
    assert "si-joint" not in offered(OutcomeForm(instance=outcome))


def test_building_the_outcome_form_adds_no_query(db_ruleset, django_assert_num_queries):
    submission = make_submission(db_ruleset)
    outcome = services.outcome_record(
        submission=submission, conditions=[Condition.objects.get(slug="sciatica")], actor=Actor(user=clinician())
    )
    with django_assert_num_queries(0):
        OutcomeForm()
    # One: Django's own read of the outcome's conditions (the form's initial); the choices stay lazy.
    with django_assert_num_queries(1):
        OutcomeForm(instance=outcome)
