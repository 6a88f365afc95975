"""The wizard's session storage writes the session only when its data changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import all_answers
from triage import scoring

pytestmark = pytest.mark.django_db


def post_safety(client, ruleset):
    data = {f"safety-{code}": value for code, value in all_answers(ruleset, scoring.SAFETY_KINDS).items()}
    data["self_check_wizard-current_step"] = "safety"
    return client.post(reverse("triage:check_step", kwargs={"step": "safety"}), data)


def session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_viewing_a_step_again_does_not_rewrite_the_session(client, db_ruleset):
    client.get(reverse("triage:check") + "?reset=1")
    assert post_safety(client, db_ruleset).status_code == 302
    url = reverse("triage:check_step", kwargs={"step": "symptoms"})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert session_writes(queries.captured_queries) == []


def test_answering_a_step_still_saves_it(client, db_ruleset):
    client.get(reverse("triage:check") + "?reset=1")
    with CaptureQueriesContext(connection) as queries:
        assert post_safety(client, db_ruleset).status_code == 302
    assert session_writes(queries.captured_queries)
    data = client.session["wizard_self_check_wizard"]
    assert data["step"] == "symptoms"
    assert set(data["step_data"]["safety"]) >= {"safety-saddle_numbness", "self_check_wizard-current_step"}
