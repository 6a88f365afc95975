from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from triage import scoring
from triage.models import Submission

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_varied_submissions_scored_by_the_real_scoring(db_ruleset, capsys):
    call_command("seed_demo", submissions=300, seed=3)
    assert "Created 300 demo submissions" in capsys.readouterr().out
    submissions = list(Submission.objects.prefetch_related("suggestions"))
    assert len(submissions) == 300
    dispositions = Counter(s.disposition for s in submissions)
    assert set(dispositions) == {"emergency", "see_doctor_today", "see_gp_soon", "book_assessment", "self_care"}
    assert len({s.reference for s in submissions}) == 300
    for submission in submissions[:50]:
        expected = scoring.score(
            db_ruleset,
            scoring.Answers.from_mapping(
                submission.answers,
                submission.pain_duration or None,
                submission.pain_intensity,
                age=submission.age,
                enjoyment_interference=submission.enjoyment_interference,
                activity_interference=submission.activity_interference,
            ),
        )
        assert submission.disposition == expected.disposition
        assert submission.result["peg"] == expected.peg == submission.peg
        assert [s.condition_id for s in submission.suggestions.all()] == [s.slug for s in expected.suggestions]


def test_the_demo_population_is_mostly_recent_mild_pain_not_nearly_all_bookings(db_ruleset):
    # The population's assumptions are in the command's docstring; the rules (ruleset 2) are not touched.
    call_command("seed_demo", submissions=1000, seed=11)
    submissions = list(Submission.objects.all())
    share = {d: n / len(submissions) for d, n in Counter(s.disposition for s in submissions).items()}
    assert {s.ruleset_version_id for s in submissions} == {db_ruleset.version}
    assert share["book_assessment"] < 0.65 and share["self_care"] > 0.25
    assert 0.02 < share["see_gp_soon"] < 0.08 and share["emergency"] < 0.02
    assert sum(s.pain_duration == "under_6_weeks" for s in submissions) > len(submissions) / 2


def test_demo_answers_hold_only_the_questions_a_person_is_asked(db_ruleset):
    call_command("seed_demo", submissions=200, seed=5)
    for submission in Submission.objects.all():
        answers = submission.answers
        enabled = {q.code for q in db_ruleset.questions if db_ruleset.question_enabled(q, answers)}
        # A follow-up its answers did not enable is left out ("not asked"), never stored as "no".
        assert set(answers) <= enabled, submission.reference
        if submission.disposition not in ("emergency", "see_doctor_today"):
            # Not stopped after the safety questions: every question its answers enable was answered.
            assert set(answers) == enabled and submission.pain_duration, submission.reference


def test_seed_demo_refuses_a_negative_count():
    with pytest.raises(CommandError, match="0 or more"):
        call_command("seed_demo", submissions=-1)
