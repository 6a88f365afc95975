"""The wizard's session storage writes the session only when its data changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def post_safety(client, ruleset):
    data = {"emergency-ticked": "none", "self_check_wizard-current_step": "emergency"}
    return client.post(reverse("triage:check_step", kwargs={"step": "emergency"}), data)


def session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_viewing_a_step_again_does_not_rewrite_the_session(client, db_ruleset):
    client.get(reverse("triage:check") + "?reset=1")
    assert post_safety(client, db_ruleset).status_code == 302
    url = reverse("triage:check_step", kwargs={"step": "doctor"})
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
    assert data["step"] == "doctor"
    assert "emergency-ticked" in data["step_data"]["emergency"]
