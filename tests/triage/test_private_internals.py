"""What the questionnaire's speed-ups rely on in django-formtools, crispy-forms and Django.

Each speed-up kept saves at least 10% of its page's time (docs/benchmarks.md,
``python -m bench.internals``) and leans on how a library works inside. These
tests fail when that changes, so an upgrade is a reminder to re-measure or
drop the speed-up rather than a silent break.
"""

from __future__ import annotations

import inspect

import pytest
from crispy_forms.utils import render_crispy_form, render_field
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView, WizardView

from triage import forms, scoring, sessions
from triage.views import SelfCheckWizard


def symptoms_form(ruleset: scoring.Ruleset, data: dict[str, str] | None = None) -> forms.SymptomsForm:
    return forms.SymptomsForm(data, prefix="symptoms", questions=ruleset.questions_of_kind(scoring.SYMPTOM))


# --- The yes/no markup, memoised on what it shows (triage.forms._yes_no_render) ---------


def test_crispy_lets_a_layout_object_render_itself_with_the_form_and_context():
    # YesNoQuestions is handed the form by crispy and renders all its questions in one pass.
    assert "field.render(form, context, template_pack=template_pack)" in inspect.getsource(render_field)


def test_the_memoised_yes_no_markup_shows_each_answer_and_error_and_never_a_stale_one(ruleset):
    codes = [q.code for q in ruleset.questions_of_kind(scoring.SYMPTOM)]
    blank = render_crispy_form(symptoms_form(ruleset))
    answered = symptoms_form(ruleset, {f"symptoms-{codes[0]}": "yes"})
    assert not answered.is_valid()
    markup = render_crispy_form(answered)
    assert 'id="id_symptoms-' + codes[0] + '_0" required checked' in markup
    assert markup.count('aria-invalid="true"') == 2 * (len(codes) - 1)
    assert render_crispy_form(symptoms_form(ruleset)) == blank
    assert "checked" not in blank
    assert "aria-invalid" not in blank


# --- The final POST finishes the wizard itself (SelfCheckWizard.render_done) ----------


def test_the_named_url_wizard_only_adds_a_redirect_to_the_done_url_before_render_done():
    # SelfCheckWizard calls WizardView.render_done past this override, so one POST scores and stores.
    source = inspect.getsource(NamedUrlWizardView.render_done)
    assert "return redirect(self.get_step_url(self.done_step_name))" in source
    assert "return super().render_done(form, **kwargs)" in source
    assert NamedUrlWizardView in SelfCheckWizard.__mro__
    assert list(inspect.signature(WizardView.render_done).parameters) == ["self", "form", "kwargs"]


def test_wizard_render_done_revalidates_every_step_then_calls_done_then_resets():
    source = inspect.getsource(WizardView.render_done)
    assert "self.render_revalidation_failure(" in source
    assert source.index("self.done(") < source.index("self.storage.reset()")


def test_resetting_the_wizard_storage_puts_a_new_dict_in_place_of_the_answers():
    # render_done keeps the old dict to put the answers back after a rate-limited submit.
    storage = BaseStorage("self_check_wizard")
    storage.init_data()
    answers = storage.data
    storage.set_step_data("safety", {"safety-saddle_numbness": ["no"]})
    storage.reset()
    assert storage.data is not answers
    assert answers["step_data"] == {"safety": {"safety-saddle_numbness": ["no"]}}


# --- Sessions saved with one UPDATE, without Django's transaction (triage.sessions) ----


def test_django_saves_a_database_session_in_a_transaction_through_the_hooks_the_store_reuses():
    # triage.sessions.SessionStore repeats Django's save without transaction.atomic().
    source = inspect.getsource(db.SessionStore.save)
    assert "transaction.atomic(using=using)" in source
    assert "obj = self.create_model_instance(data)" in source
    assert "data = self._get_session(no_load=must_create)" in source
    assert list(inspect.signature(db.SessionStore.save).parameters) == ["self", "must_create"]
    assert list(inspect.signature(db.SessionStore.create_model_instance).parameters) == ["self", "data"]


@pytest.mark.django_db
def test_saving_a_changed_session_is_one_update_without_savepoints():
    store = sessions.SessionStore()
    store["answer"] = 1
    store.create()
    store["answer"] = 2
    with CaptureQueriesContext(connection) as captured:
        store.save()
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["UPDATE"]
    assert sessions.SessionStore(store.session_key)["answer"] == 2


@pytest.mark.django_db
def test_saving_a_session_whose_row_is_gone_raises_update_error_as_django_does():
    store = sessions.SessionStore()
    store.create()
    store.delete()
    store["answer"] = 1
    with pytest.raises(UpdateError):
        store.save()
