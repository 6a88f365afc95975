"""The trajectory rule, tested without a database: worse wins, 30% of the baseline PEG, the global rating."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from followups import outcomes
from followups.outcomes import IMPROVED, SAME, WORSE, peg_change, trajectory


@dataclass(frozen=True)
class Answers:
    status: str = "answered"
    pain_intensity: int | None = None
    enjoyment_interference: int | None = None
    activity_interference: int | None = None
    global_change: int | None = None


def answered(peg: tuple[int, int, int] | None = None, rating: int | None = None) -> Answers:
    pain, enjoyment, activity = peg or (None, None, None)
    return Answers(
        pain_intensity=pain, enjoyment_interference=enjoyment, activity_interference=activity, global_change=rating
    )


def test_the_rule_imports_nothing_from_django():
    tree = ast.parse(Path(outcomes.__file__).read_text())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names] + [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ]
    assert not [name for name in imported if name.startswith("django")]
    assert set(imported) <= {"__future__", "fractions", "typing", "triage.scoring"}


def test_its_answered_status_is_the_models():
    from followups.models import CheckInStatus

    assert outcomes.ANSWERED == CheckInStatus.ANSWERED


@pytest.mark.parametrize("status", ["sent", "opened", "unsubscribed", "bounced", "expired"])
def test_a_check_in_not_answered_has_no_trajectory(status):
    assert trajectory(6.0, Answers(status=status, global_change=1)) is None


def test_no_check_in_has_no_trajectory():
    assert trajectory(6.0, None) is None


@pytest.mark.parametrize(
    ("rating", "expected"),
    [(1, IMPROVED), (2, IMPROVED), (3, SAME), (4, SAME), (5, SAME), (6, WORSE), (7, WORSE)],
)
def test_the_global_rating_alone_when_the_peg_did_not_move(rating, expected):
    assert trajectory(6.0, answered((6, 6, 6), rating)) == expected


def test_a_fall_of_exactly_30_percent_is_improved():
    # 10 -> 7: exactly 30%, "about the same" notwithstanding.
    assert trajectory(10.0, answered((7, 7, 7), 4)) == IMPROVED
    assert trajectory(10.0, answered((7, 7, 8), 4)) == SAME  # 7.3: a fall of 27%
    # 7.0 -> 4.9 is exactly 30% too; in floats 7.0 - 4.9 < 0.3 * 7.0 and it would not count.
    assert peg_change(baseline_peg=7.0, peg_now=4.9) == IMPROVED


def test_just_under_30_percent_is_not_a_meaningful_change():
    assert peg_change(baseline_peg=5.0, peg_now=3.6) == SAME
    assert peg_change(baseline_peg=5.0, peg_now=6.4) == SAME


def test_a_rise_of_exactly_30_percent_is_worse():
    assert peg_change(baseline_peg=5.0, peg_now=6.5) == WORSE
    assert peg_change(baseline_peg=3.3, peg_now=4.3) == WORSE  # +1.0 >= 0.99


def test_a_change_under_one_point_is_not_meaningful_however_large_in_percent():
    # Low starting scores: 30% of 2.3 is 0.69, but 2.3 -> 3.0 is under a point on a 0-10 scale.
    assert peg_change(baseline_peg=2.3, peg_now=3.0) == SAME
    assert peg_change(baseline_peg=1.0, peg_now=0.0) == IMPROVED
    assert peg_change(baseline_peg=1.0, peg_now=0.3) == SAME
    assert trajectory(2.3, answered((3, 3, 3), 3)) == SAME  # "a little better", PEG 3.0


def test_one_decimal_baselines_are_compared_exactly():
    # 30% of 3.3 is 0.99: a fall to 2.3 (1.0) counts, to 2.4 (0.9) does not.
    assert peg_change(baseline_peg=3.3, peg_now=2.3) == IMPROVED
    assert peg_change(baseline_peg=3.3, peg_now=2.4) == SAME


def test_a_peg_fall_alone_is_improved_and_a_rise_alone_is_worse():
    assert trajectory(6.0, answered((3, 3, 3), 4)) == IMPROVED
    assert trajectory(6.0, answered((8, 8, 8), 4)) == WORSE


def test_worse_wins_over_improved():
    # "Better" but the PEG rose by half: someone should look.
    assert trajectory(4.0, answered((6, 6, 6), 2)) == WORSE
    # PEG halved but "much worse".
    assert trajectory(6.0, answered((3, 3, 3), 7)) == WORSE


def test_a_baseline_of_zero_cannot_fall_and_a_rise_of_a_point_is_worse():
    assert peg_change(baseline_peg=0.0, peg_now=0.0) == SAME
    assert peg_change(baseline_peg=0.0, peg_now=0.7) == SAME
    assert peg_change(baseline_peg=0.0, peg_now=1.0) == WORSE
    assert trajectory(0.0, answered((0, 0, 0), 1)) == IMPROVED  # their rating still counts


def test_without_a_baseline_peg_only_the_rating_counts():
    # Older self-checks asked pain alone: no baseline PEG.
    assert trajectory(None, answered((9, 9, 9), 4)) == SAME
    assert trajectory(None, answered((1, 1, 1), 2)) == IMPROVED
    assert trajectory(None, answered((1, 1, 1), 6)) == WORSE


def test_a_check_in_with_a_peg_item_missing_counts_its_rating_only():
    assert trajectory(6.0, answered((1, 1, None), 4)) == SAME
    assert trajectory(6.0, answered((1, None, None), 7)) == WORSE


def test_nothing_to_judge_without_a_rating_or_a_peg():
    assert trajectory(None, answered((5, 5, 5), None)) is None
    assert trajectory(6.0, answered(None, None)) is None
    assert trajectory(6.0, answered((6, 6, 6), None)) == SAME  # a PEG to compare, unchanged


def test_the_check_in_peg_is_the_mean_of_three_to_one_decimal():
    assert outcomes.checkin_peg(answered((3, 4, 4))) == 3.7
    assert outcomes.checkin_peg(answered((3, 4, None))) is None


def test_why_a_check_in_is_worse():
    assert outcomes.worse_because(6.0, answered((6, 6, 6), 7)) == ("rating",)
    assert outcomes.worse_because(4.0, answered((6, 6, 6), 2)) == ("peg",)
    assert outcomes.worse_because(4.0, answered((6, 6, 6), 6)) == ("rating", "peg")
    assert outcomes.worse_because(6.0, answered((3, 3, 3), 1)) == ()
