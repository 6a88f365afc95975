"""Publishing a ruleset: the "what would change" preview and the red-flag guard."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.actor import SYSTEM
from audit.models import AuditAction, AuditEvent
from tests.review_helpers import content_editor, first_code, make_submission, symptoms_of
from triage import preview as triage_preview
from triage import scoring
from triage import selectors as triage_selectors
from triage.models import ConditionWeight, Question, QuestionKind, RulesetVersion
from triage.services import red_flag_problems, ruleset_publish

PUBLISH = reverse("admin:triage_rulesetversion_publish")


@pytest.fixture
def editor_client(client, db):
    client.force_login(content_editor())
    return client


def test_the_preview_counts_nothing_when_the_draft_is_unchanged(db_ruleset):
    for _ in range(3):
        make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"))
    preview = triage_preview.ruleset_change_preview(draft_content=triage_selectors.draft_content_get())
    assert (preview.compared, preview.disposition_changed, preview.top_changed) == (3, 0, 0)


def test_the_preview_counts_changed_dispositions_and_top_suggestions(db_ruleset):
    sciatica = make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"), pain_duration="under_6_weeks")
    make_submission(db_ruleset)
    assert sciatica.disposition == "book_assessment"
    # Drop every sciatica weight: nothing is suggested for that person any more.
    ConditionWeight.objects.filter(condition_id="sciatica").delete()
    preview = triage_preview.ruleset_change_preview(draft_content=triage_selectors.draft_content_get(), last=10)
    assert preview.compared == 2
    assert preview.top_changed == 1
    assert preview.red_flag_changes == []


def test_the_preview_lists_red_flag_cases_whose_disposition_would_change(db_ruleset):
    code = first_code(db_ruleset, scoring.EMERGENCY)
    flagged = make_submission(db_ruleset, yes={code})
    Question.objects.filter(code=code).update(kind=QuestionKind.DOCTOR_TODAY)
    preview = triage_preview.ruleset_change_preview(draft_content=triage_selectors.draft_content_get())
    assert [(c.reference, c.before, c.after) for c in preview.red_flag_changes] == [
        (flagged.reference, "emergency", "see_doctor_today")
    ]


@pytest.mark.parametrize(
    ("kind", "new_kind", "allowed"),
    [
        (scoring.EMERGENCY, QuestionKind.DOCTOR_TODAY, False),
        (scoring.EMERGENCY, QuestionKind.SYMPTOM, False),
        (scoring.DOCTOR_TODAY, QuestionKind.SYMPTOM, False),
        (scoring.DOCTOR_TODAY, QuestionKind.EMERGENCY, True),  # more urgent is fine
    ],
)
def test_a_ruleset_that_weakens_a_red_flag_cannot_be_published(db_ruleset, kind, new_kind, allowed):
    code = first_code(db_ruleset, kind)
    Question.objects.filter(code=code).update(kind=new_kind)
    before = RulesetVersion.objects.count()
    if allowed:
        ruleset_publish(note="more urgent", actor=SYSTEM)
        assert RulesetVersion.objects.count() == before + 1
    else:
        with pytest.raises(ValueError, match=code):
            ruleset_publish(note="weaker", actor=SYSTEM)
        assert RulesetVersion.objects.count() == before


def test_removing_a_red_flag_question_is_refused(db_ruleset):
    code = first_code(db_ruleset, scoring.EMERGENCY)
    published = RulesetVersion.objects.get(number=2).content
    draft = {**published, "questions": [q for q in published["questions"] if q["code"] != code]}
    assert red_flag_problems(published=published, draft=draft) == [f"red-flag question {code!r} has been removed"]


def test_the_publish_page_shows_the_preview_and_publishes(editor_client, db_ruleset):
    make_submission(db_ruleset)
    content = editor_client.get(PUBLISH, {"last": "50"}).content.decode()
    assert "What would change: the last 1 submissions re-scored" in content
    assert 'value="Publish"' in content
    response = editor_client.post(PUBLISH, {"note": "Tweak"}, follow=True)
    # Version 2 is the second ruleset seeded by migration (issue 11): this publish makes version 3.
    assert "Published ruleset v3" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.PUBLISH, target="v3").exists()


def test_the_publish_page_refuses_a_draft_that_weakens_a_red_flag(editor_client, db_ruleset):
    code = first_code(db_ruleset, scoring.EMERGENCY)
    make_submission(db_ruleset, yes={code})
    Question.objects.filter(code=code).update(kind=QuestionKind.SYMPTOM)
    content = editor_client.get(PUBLISH).content.decode()
    assert "This draft cannot be published" in content
    assert 'value="Publish"' not in content
    response = editor_client.post(PUBLISH, {"note": "sneaky"}, follow=True)
    assert "Not published" in response.content.decode()
    assert not RulesetVersion.objects.filter(number=3).exists()


def test_a_bad_preview_size_falls_back_to_the_default(editor_client, db_ruleset):
    assert editor_client.get(PUBLISH, {"last": "lots"}).status_code == 200


def test_seed_demo_clinician_is_refused_without_debug(db_ruleset, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", submissions=0, clinician=True)
    assert not User.objects.filter(username="demo-clinician").exists()


def test_seed_demo_clinician_prints_a_working_password(db_ruleset, settings, client):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", submissions=0, clinician=True, stdout=out)
    password = out.getvalue().split("password ")[1].split(" ")[0]
    assert client.login(username="demo-clinician", password=password)
    assert client.get(reverse("admin:triage_submission_changelist")).status_code == 200
