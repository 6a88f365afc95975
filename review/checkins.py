"""Follow-up check-ins on the clinic's pages: the queue's trajectory column and the submission page's section.

Kept out of review/admin.py (under 400 lines); SubmissionAdmin mixes this in.
The figures come from followups.selectors; the trajectory rule from followups.outcomes.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from followups import outcomes
from followups import selectors as followup_selectors
from followups.models import CHECKIN_WEEKS
from triage.models import Submission

# The queue's cell: a coloured word, the week in the title (tooltip), where width is short.
TRAJECTORY_SHORT = {
    outcomes.IMPROVED: _("Better"),
    outcomes.SAME: _("Same"),
    outcomes.WORSE: _("Worse"),
}
TRAJECTORY_LONG = {
    outcomes.IMPROVED: _("improved"),
    outcomes.SAME: _("about the same"),
    outcomes.WORSE: _("worse"),
}


def trajectory_badge(*, trajectory: str | None, week: int | None = None) -> str:
    """A coloured badge for a trajectory, with words for screen readers; "—" for none."""
    if trajectory not in TRAJECTORY_SHORT:
        return "—"
    title = (
        _("%(week)d-week check-in: %(trajectory)s") % {"week": week, "trajectory": TRAJECTORY_LONG[trajectory]}
        if week
        else TRAJECTORY_LONG[trajectory]
    )
    return format_html(
        '<span class="ff-trend ff-trend-{}" title="{}">{}</span>', trajectory, title, TRAJECTORY_SHORT[trajectory]
    )


class CheckInColumnsMixin:
    """The queue's "check-in" column (the latest answered check-in's trajectory) and the page's context."""

    @admin.display(description=_("check-in"))
    def checkin(self, obj: Submission) -> str:
        # From the row's annotation (followups.selectors.checkins_latest_annotate): no query.
        latest = followup_selectors.latest_trajectory(submission=obj)
        if latest is None:
            return "—"
        week, trajectory = latest
        return trajectory_badge(trajectory=trajectory, week=week)

    def checkins_context(self, *, submission: Submission) -> dict:
        """The submission page's check-in section (for staff who may see the answers)."""
        rows = followup_selectors.submission_checkins_get(submission=submission)
        if not rows and not submission.followup_consent:
            return {}
        first_due = submission.created_at + timedelta(weeks=CHECKIN_WEEKS[0])
        return {"checkins": {"submission": submission, "rows": rows, "first_due": first_due}}
