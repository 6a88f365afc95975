"""What the questionnaire's speed-ups rely on in django-formtools, crispy-forms and Django.

Each speed-up kept saves at least 10% of its page's time (docs/benchmarks.md,
``python -m bench.internals``) and leans on how a library works inside. These
tests fail when that changes, so an upgrade is a reminder to re-measure or
drop the speed-up rather than a silent break.
"""

from __future__ import annotations

import inspect

import pytest
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from formtools.wizard.views import NamedUrlWizardView, WizardView

from triage import sessions
from triage.views import SelfCheckWizard

# --- The screens come and go with the answers (SelfCheckWizard.get_form_list) ------------


def test_the_wizard_drops_its_form_list_after_storing_a_step_so_follow_ups_are_laid_out_again():
    # SelfCheckWizard keeps its screens in formtools' cache attributes and relies on formtools
    # deleting them once a step's answers are stored (a follow-up screen may appear or go).
    source = inspect.getsource(WizardView.post)
    assert source.index("self.storage.set_step_data(") < source.index("del self._resolved_form_list")
    assert "del self._cache_signature" in source
    assert NamedUrlWizardView in SelfCheckWizard.__mro__


# --- Sessions saved with one UPDATE, without Django's transaction (triage.sessions) ----


def test_django_reads_and_saves_a_database_session_as_the_store_repeats_in_sql():
    # triage.sessions.SessionStore repeats Django's read (the row unexpired, else no session and no key)
    # and its save (the encoded data and the expiry date) in one SQL statement each, without the ORM
    # and without transaction.atomic().
    read = inspect.getsource(db.SessionStore._get_session_from_db)
    assert "session_key=self.session_key, expire_date__gt=timezone.now()" in read
    assert "self._session_key = None" in read
    save = inspect.getsource(db.SessionStore.save)
    assert "transaction.atomic(using=using)" in save
    assert "data = self._get_session(no_load=must_create)" in save
    build = inspect.getsource(db.SessionStore.create_model_instance)
    assert "session_data=self.encode(data)" in build
    assert "expire_date=self.get_expiry_date()" in build
    assert list(inspect.signature(db.SessionStore.save).parameters) == ["self", "must_create"]
    assert {f.name for f in db.SessionStore.get_model_class()._meta.fields} >= {
        "session_key",
        "session_data",
        "expire_date",
    }


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
