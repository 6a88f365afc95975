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


def test_seed_demo_refuses_a_negative_count():
    with pytest.raises(CommandError, match="0 or more"):
        call_command("seed_demo", submissions=-1)
