"""Content editors see counts, never a submission (issue 14, item 3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tests.review_helpers import content_editor, first_code, make_submission, symptoms_of
from triage import scoring
from triage.models import Question, QuestionKind, Submission

pytestmark = pytest.mark.django_db
PUBLISH = reverse("admin:triage_rulesetversion_publish")


@pytest.fixture
def editor(client, db_ruleset):
    client.force_login(content_editor())
    return client


def backdate(days: int = 1) -> None:
    Submission.objects.update(created_at=timezone.now() - timedelta(days=days))


def test_the_preview_names_no_submission_and_links_to_none(editor, db_ruleset):
    code = first_code(db_ruleset, scoring.EMERGENCY)
    flagged = [make_submission(db_ruleset, yes={code}) for _ in range(12)]
    backdate()
    Question.objects.filter(code=code).update(kind=QuestionKind.DOCTOR_TODAY)
    page = editor.get(PUBLISH).content.decode()
    assert "whose disposition would change: <strong>12</strong>" in page
    assert not any(s.reference in page for s in flagged)
    assert "/admin/triage/submission/" not in page


def test_a_group_smaller_than_ten_is_shown_only_as_fewer_than_ten(editor, db_ruleset):
    code = first_code(db_ruleset, scoring.EMERGENCY)
    make_submission(db_ruleset, yes={code})
    for _ in range(11):
        make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"))
    backdate()
    Question.objects.filter(code=code).update(kind=QuestionKind.DOCTOR_TODAY)
    page = editor.get(PUBLISH).content.decode()
    assert "whose disposition would change: <strong>fewer than 10</strong>" in page
    assert "Moves of fewer than 10 submissions are not listed." in page
    assert "<td>1</td>" not in page


def test_fewer_than_ten_submissions_show_no_preview_at_all(editor, db_ruleset):
    make_submission(db_ruleset)
    backdate()
    page = editor.get(PUBLISH).content.decode()
    assert "too few to show" in page


def test_a_new_submission_cannot_be_singled_out_by_comparing_two_previews(editor, db_ruleset):
    """Windows are whole days to midnight: today's submission is in no window, whatever last= says."""
    for _ in range(10):
        make_submission(db_ruleset)
    backdate()
    before = {days: editor.get(PUBLISH, {"last": days}).context["preview"] for days in (30, 90, 365, 1, 31)}
    make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.EMERGENCY)})
    after = {days: editor.get(PUBLISH, {"last": days}).context["preview"] for days in (30, 90, 365, 1, 31)}
    assert before == after
    assert {p.days for p in after.values()} == {30, 90, 365}


def test_looking_at_the_preview_is_audited(editor, db_ruleset):
    editor.get(PUBLISH, {"last": "30"})
    event = AuditEvent.objects.get(action="view", target="ruleset preview")
    assert event.actor_label == "editor" and event.detail == {"window_days": 30, "compared": None}
