"""Reads of check-ins: a submission's rows, the queue's latest trajectory, in a fixed number of queries."""

from __future__ import annotations

import pytest

from followups import selectors
from followups.models import CheckInStatus
from tests.followups.clinic_helpers import checkin, submission_with_peg
from tests.review_helpers import first_code
from triage import scoring
from triage.models import Submission

pytestmark = pytest.mark.django_db


def test_a_submissions_check_ins_come_with_words_peg_and_trajectory(db_ruleset, django_assert_max_num_queries):
    submission = submission_with_peg(db_ruleset, peg=(6, 6, 6))
    flag = first_code(db_ruleset, scoring.EMERGENCY)
    checkin(submission, week=12, status=CheckInStatus.SENT)
    checkin(submission, week=6, peg=(3, 3, 4), global_change=3, seen="physio", red_flags=[flag])
    selectors.triage_selectors.ruleset_cache_clear()
    # The check-ins, and the ruleset (cached by number) to word the warning sign.
    with django_assert_max_num_queries(2):
        rows = selectors.submission_checkins_get(submission=submission)
    six, twelve = rows
    assert (six.week, six.status_label, six.answered) == (6, "Answered", True)
    assert (six.peg_then, six.peg_now) == (6.0, 3.3)
    assert six.global_change_label == "A little better"
    assert six.seen_label == "A physiotherapist"
    assert six.red_flags == (db_ruleset.by_code[flag].summary or db_ruleset.by_code[flag].text,)
    assert six.trajectory == "improved"  # PEG down 45%
    assert (twelve.week, twelve.status, twelve.answered, twelve.trajectory) == (12, "sent", False, None)


def test_an_unknown_warning_sign_code_is_shown_as_its_code(db_ruleset):
    submission = submission_with_peg(db_ruleset)
    checkin(submission, peg=(6, 6, 6), global_change=4, red_flags=["retired_code"])
    (row,) = selectors.submission_checkins_get(submission=submission)
    assert row.red_flags == ("retired_code",)


def test_the_queue_annotation_gives_the_latest_answered_check_in(db_ruleset):
    better_later = submission_with_peg(db_ruleset, peg=(6, 6, 6))
    checkin(better_later, week=6, peg=(6, 6, 6), global_change=4)
    checkin(better_later, week=12, peg=(2, 2, 2), global_change=1)
    worse_then_quiet = submission_with_peg(db_ruleset, peg=(4, 4, 4))
    checkin(worse_then_quiet, week=6, peg=(4, 4, 4), global_change=7)
    checkin(worse_then_quiet, week=12, status=CheckInStatus.EXPIRED)
    none = submission_with_peg(db_ruleset)
    checkin(none, week=6, status=CheckInStatus.SENT)
    rows = {s.pk: s for s in selectors.checkins_latest_annotate(queryset=Submission.objects.all())}
    assert selectors.latest_trajectory(submission=rows[better_later.pk]) == (12, "improved")
    assert selectors.latest_trajectory(submission=rows[worse_then_quiet.pk]) == (6, "worse")
    assert selectors.latest_trajectory(submission=rows[none.pk]) is None


def test_a_page_of_submissions_gets_its_trajectories_in_one_query(db_ruleset, django_assert_num_queries):
    page = []
    for i in range(5):
        submission = submission_with_peg(db_ruleset, peg=(5, 5, 5))
        checkin(submission, week=6, peg=(5, 5, 5), global_change=[1, 4, 7, 4, 2][i])
        page.append(submission)
    with django_assert_num_queries(1):
        found = selectors.latest_trajectories(submissions=page)
    assert [found[s.pk] for s in page] == [
        (6, "improved"),
        (6, "same"),
        (6, "worse"),
        (6, "same"),
        (6, "improved"),
    ]
