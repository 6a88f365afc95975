"""The session store: a questionnaire step's save is one UPDATE; everything else is Django's own."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from triage.sessions import SessionStore

pytestmark = pytest.mark.django_db


def stored_session(**data) -> SessionStore:
    session = SessionStore()
    session.update(data)
    session.save()
    return session


def test_the_site_keeps_its_sessions_in_this_store():
    assert settings.SESSION_ENGINE == "triage.sessions"


def test_a_new_session_is_created_with_a_key_and_its_data():
    session = stored_session(step="safety")
    assert session.session_key
    assert SessionStore(session_key=session.session_key).load() == {"step": "safety"}


def test_saving_a_changed_session_is_one_update_and_no_transaction_around_it():
    session = stored_session(step="safety")
    session["step"] = "symptoms"
    with CaptureQueriesContext(connection) as queries:
        session.save()
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["UPDATE"]
    assert SessionStore(session_key=session.session_key).load() == {"step": "symptoms"}


def test_saving_a_session_whose_row_is_gone_raises_update_error():
    session = stored_session(step="safety")
    Session.objects.filter(session_key=session.session_key).delete()
    session["step"] = "symptoms"
    # SessionMiddleware saves after the view, outside any transaction; the test
    # runs inside one, so a savepoint stands in for autocommit (this store,
    # unlike Django's, opens none of its own, and the error spoils the block).
    with pytest.raises(UpdateError), transaction.atomic():
        session.save()
    assert not Session.objects.exists()


def test_an_expired_session_loads_empty_and_saving_it_starts_a_new_one():
    session = stored_session(step="safety")
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    stale = SessionStore(session_key=session.session_key)
    assert stale.load() == {}
    stale["step"] = "symptoms"
    stale.save()
    assert stale.session_key != session.session_key
    assert SessionStore(session_key=stale.session_key).load() == {"step": "symptoms"}


def test_loading_a_session_is_one_select_and_an_unknown_key_loads_empty():
    session = stored_session(step="safety")
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(session_key=session.session_key).load() == {"step": "safety"}
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["SELECT"]
    unknown = SessionStore(session_key="x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None  # saving it makes a new session, never one with a chosen key


def test_write_reports_a_missing_row_without_spoiling_the_transaction_around_it():
    """The final submit writes the session inside the submission's transaction: a gone row must not roll it back."""
    session = stored_session(step="safety")
    Session.objects.filter(session_key=session.session_key).delete()
    session["step"] = "symptoms"
    with transaction.atomic():
        assert session.write() is False
        kept = stored_session(step="other")
    assert SessionStore(session_key=kept.session_key).load() == {"step": "other"}
