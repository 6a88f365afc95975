"""The answer sections (triage/steps.py) follow the screens the patient answered on: one source for both."""

from __future__ import annotations

import pytest

from triage import screens, steps

pytestmark = pytest.mark.django_db


def test_every_screen_belongs_to_exactly_one_section_in_the_order_asked(db_ruleset):
    names = [screen.name for screen in screens.screens_for(db_ruleset)]
    for name in names:
        assert [step.name for step in steps.STEPS if step.holds(name)] == [steps.step_of_screen(name).name]
    in_order = [steps.STEPS.index(steps.step_of_screen(name)) for name in names]
    assert in_order == sorted(in_order)
    assert {steps.step_of_screen(name) for name in names} == set(steps.STEPS)


def test_a_section_holds_the_questions_of_its_screens_and_only_those(db_ruleset):
    for screen in screens.screens_for(db_ruleset):
        section = steps.step_of_screen(screen.name)
        assert {q.kind for q in screen.questions} <= set(section.kinds), screen.name
    kinds = [kind for step in steps.QUESTION_STEPS for kind in step.kinds]
    assert len(kinds) == len(set(kinds))
    assert {q.kind for q in db_ruleset.questions} <= set(kinds)


def test_section_titles_are_headings_in_the_words_of_their_screens(db_ruleset):
    by_name = {screen.name: screen for screen in screens.screens_for(db_ruleset)}
    assert steps.CONTACT.title == str(by_name[screens.CONTACT].title)
    assert str(by_name[screens.ABOUT_YOU].title).lower() in steps.SAFETY.title.lower()
    for step in steps.STEPS:
        assert isinstance(step.title, str) and step.title and not step.title.endswith("?")


def test_section_names_are_the_stable_fhir_group_link_ids():
    assert [step.name for step in steps.STEPS] == ["safety", "symptoms", "feet", "duration", "contact"]
