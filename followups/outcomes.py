"""Did the person get better? A check-in's trajectory against their self-check, with no Django.

The rule, applied to one answered check-in:

- **worse** when the global rating of change is "worse" or "much worse" (6 or 7),
  or the PEG score rose by 30% of the self-check's PEG or more (and by 1 point at least);
- **improved** when the global rating is "much better" or "better" (1 or 2),
  or the PEG score fell by 30% of the self-check's PEG or more (and by 1 point at least);
- worse wins over improved (safety first: "better" with a PEG up by half is
  shown as worse, for someone to look at);
- **same** otherwise ("a little better", "about the same", "a little worse",
  with PEG changes under 30%).

PEG is the mean of the three 0-10 answers (pain, interference with enjoyment
of life and with general activity), one decimal, as triage.scoring.peg_score
computes it for the self-check. A 30% change is the usual threshold for a
meaningful change in pain scores; a change must also be 1 point or more on
the 0-10 scale, the smallest that counts on a pain scale, so that a low
starting score (0.0 to 0.7, 2.3 to 3.0) is not read as getting worse. The PEG counts only when both scores exist:
older self-checks asked pain alone (no baseline PEG), and a check-in with a
PEG item missing has none either; then only the global rating counts. With a
baseline of 0 the PEG cannot fall, and a rise of 1 point or more is worse. Changes are compared exactly (fractions,
not floats), so a fall of exactly 30% is improved.

A check-in not answered has no trajectory (None); nor has an answered one
with neither a global rating nor a PEG to compare (nothing to judge).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

from triage.scoring import peg_score

IMPROVED = "improved"
SAME = "same"
WORSE = "worse"
TRAJECTORIES = (IMPROVED, SAME, WORSE)
# CheckInStatus.ANSWERED's stored value (followups.models; pinned equal by a test).
ANSWERED = "answered"
MEANINGFUL_CHANGE = Fraction(3, 10)
SMALLEST_CHANGE = Fraction(1)  # points on the 0-10 scale
# GlobalChange: 1 much better, 2 better ... 6 worse, 7 much worse.
IMPROVED_RATINGS = frozenset({1, 2})
WORSE_RATINGS = frozenset({6, 7})


class CheckInAnswers(Protocol):
    """What a trajectory reads from a check-in (a CheckIn row has these attributes)."""

    status: str
    pain_intensity: int | None
    enjoyment_interference: int | None
    activity_interference: int | None
    global_change: int | None


def checkin_peg(checkin: CheckInAnswers) -> float | None:
    """The check-in's PEG score, or None unless all three answers were given."""
    return peg_score(
        pain_intensity=checkin.pain_intensity,
        enjoyment=checkin.enjoyment_interference,
        activity=checkin.activity_interference,
    )


def peg_change(*, baseline_peg: float | None, peg_now: float | None) -> str | None:
    """IMPROVED, WORSE or SAME by the PEG alone (30% of the baseline and 1 point), None without both scores."""
    if baseline_peg is None or peg_now is None:
        return None
    # One-decimal scores read through str() are exact fractions: 30% is 30%, not 29.999...%.
    before, now = Fraction(str(baseline_peg)), Fraction(str(peg_now))
    threshold = max(MEANINGFUL_CHANGE * before, SMALLEST_CHANGE)
    if now > before and now - before >= threshold:
        return WORSE
    if now < before and before - now >= threshold:
        return IMPROVED
    return SAME


def worse_because(baseline_peg: float | None, checkin: CheckInAnswers) -> tuple[str, ...]:
    """Why an answered check-in is worse: "rating" (worse, much worse), "peg" (up 30% and a point or more), or both."""
    reasons = []
    if checkin.global_change in WORSE_RATINGS:
        reasons.append("rating")
    if peg_change(baseline_peg=baseline_peg, peg_now=checkin_peg(checkin)) == WORSE:
        reasons.append("peg")
    return tuple(reasons)


def trajectory(baseline_peg: float | None, checkin: CheckInAnswers | None) -> str | None:
    """IMPROVED, SAME or WORSE for an answered check-in (the rule above); None when not answered."""
    if checkin is None or checkin.status != ANSWERED:
        return None
    by_peg = peg_change(baseline_peg=baseline_peg, peg_now=checkin_peg(checkin))
    rating = checkin.global_change
    if rating in WORSE_RATINGS or by_peg == WORSE:
        return WORSE
    if rating in IMPROVED_RATINGS or by_peg == IMPROVED:
        return IMPROVED
    if rating is None and by_peg is None:
        return None  # nothing to judge
    return SAME
