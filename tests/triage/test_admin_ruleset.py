"""Publishing a ruleset: the "what would change" preview and the red-flag guard."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from audit.actor import SYSTEM
from audit.models import AuditAction, AuditEvent
from tests.review_helpers import content_editor, first_code, make_submission, symptoms_of
from triage import preview as triage_preview
from triage import scoring
from triage import selectors as triage_selectors
from triage.models import ConditionWeight, Question, QuestionKind, RulesetVersion, Submission
from triage.services import red_flag_problems, ruleset_publish

PUBLISH = reverse("admin:triage_rulesetversion_publish")


@pytest.fixture
def editor_client(client, db):
    client.force_login(content_editor())
    return client


def yesterday(*submissions) -> None:
    """The preview covers whole days up to midnight: move submissions into yesterday."""
    Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(created_at=timezone.now() - timedelta(days=1))


def draft_preview(**kwargs):
    return triage_preview.ruleset_change_preview(draft_content=triage_selectors.draft_content_get(), **kwargs)


def test_the_preview_counts_nothing_when_the_draft_is_unchanged(db_ruleset):
    yesterday(*[make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica")) for _ in range(3)])
    preview = draft_preview(min_group=1)
    assert (preview.compared, preview.disposition_changed, preview.top_changed) == (3, 0, 0)


def test_the_preview_counts_changed_dispositions_and_top_suggestions(db_ruleset):
    sciatica = make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"), pain_duration="under_6_weeks")
    yesterday(sciatica, make_submission(db_ruleset))
    assert sciatica.disposition == "book_assessment"
    # Drop every sciatica weight: nothing is suggested for that person any more.
    ConditionWeight.objects.filter(condition_id="sciatica").delete()
    preview = draft_preview(min_group=1)
    assert preview.compared == 2
    assert preview.top_changed == 1
    assert preview.red_flag_changed == 0


def test_the_preview_counts_red_flag_cases_whose_disposition_would_change(db_ruleset):
    code = first_code(db_ruleset, scoring.EMERGENCY)
    yesterday(make_submission(db_ruleset, yes={code}))
    Question.objects.filter(code=code).update(kind=QuestionKind.DOCTOR_TODAY)
    preview = draft_preview(min_group=1)
    assert preview.red_flag_changed == 1
    assert preview.disposition_moves == (("Emergency: call 111", "See a doctor today", 1),)


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
    yesterday(*[make_submission(db_ruleset) for _ in range(10)])
    content = editor_client.get(PUBLISH, {"last": "30"}).content.decode()
    assert "submissions of the last 30 days re-scored" in content
    assert "Disposition would change for <strong>0</strong> of 10." in content
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


@pytest.mark.parametrize("last", ["lots", "89", "1", "5000"])
def test_a_preview_window_not_on_the_list_falls_back_to_90_days(editor_client, db_ruleset, last):
    response = editor_client.get(PUBLISH, {"last": last})
    assert response.status_code == 200
    assert response.context["preview"].days == 90


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
