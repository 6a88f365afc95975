"""seed_checkins: demo check-ins on old enough demo submissions, repeatable, and adding nothing the second time."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from followups.models import CheckIn
from triage.models import Submission

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_checkins", stdout=out, **options)
    return out.getvalue()


def test_it_gives_opted_in_submissions_check_ins_and_prints_the_figures(db_ruleset):
    call_command("seed_demo", submissions=300, days=120, seed=15, stdout=io.StringIO())
    printed = seed(seed=15)
    checkins = CheckIn.objects.select_related("submission")
    assert checkins.exists()
    # Only people who agreed to be contacted, with an email, and old enough.
    assert all(c.submission.contact_consent and c.submission.contact_email for c in checkins)
    assert all(c.sent_at >= c.submission.created_at + timedelta(weeks=c.week) for c in checkins)
    assert {c.week for c in checkins} == {6, 12}
    assert checkins.filter(status="answered").exists() and checkins.exclude(status="answered").exists()
    assert "Answered rate:" in printed and "better (" in printed
    # Run again: nothing new (each submission's draw depends only on the seed and its id).
    count = CheckIn.objects.count()
    opted = Submission.objects.filter(followup_consent=True).count()
    seed(seed=15)
    assert (CheckIn.objects.count(), Submission.objects.filter(followup_consent=True).count()) == (count, opted)


def test_the_same_seed_gives_the_same_check_ins(db_ruleset):
    call_command("seed_demo", submissions=200, days=120, seed=4, stdout=io.StringIO())
    seed(seed=9)
    first = list(CheckIn.objects.order_by("submission_id", "week").values_list("submission_id", "week", "status"))
    CheckIn.objects.all().delete()
    Submission.objects.update(followup_consent=False, followup_consent_at=None, followup_unsubscribed_at=None)
    seed(seed=9)
    again = list(CheckIn.objects.order_by("submission_id", "week").values_list("submission_id", "week", "status"))
    assert first == again and first


def test_a_share_outside_0_to_1_is_refused(db_ruleset):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="between 0 and 1"):
        seed(share=1.5)
