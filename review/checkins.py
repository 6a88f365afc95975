"""Follow-up check-ins on the clinic's pages: the queue's trajectory column and the submission page's section.

Kept out of review/admin.py (under 400 lines); SubmissionAdmin mixes this in.
The figures come from followups.selectors; the trajectory rule from followups.outcomes.
"""

from __future__ import annotations

from datetime import timedelta

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
    """The queue's trajectory (under the pain figure) and the submission page's check-in section."""

    def with_checkin(self, obj: Submission, cell: str) -> str:
        """The queue's pain cell with the latest answered check-in's trajectory under it, when there is one.

        Under the pain figure, not a column of its own: the call list must fit 1,280 px.
        From the row's annotation (followups.selectors.checkins_latest_annotate): no query.
        """
        latest = followup_selectors.latest_trajectory(submission=obj)
        if latest is None or latest[1] is None:
            return cell
        week, trajectory = latest
        return format_html("{}<br>{}", cell, trajectory_badge(trajectory=trajectory, week=week))

    def checkins_context(self, *, submission: Submission) -> dict:
        """The submission page's check-in section (for staff who may see the answers)."""
        rows = followup_selectors.submission_checkins_get(submission=submission)
        if not rows and not submission.followup_consent:
            return {}
        first_due = submission.created_at + timedelta(weeks=CHECKIN_WEEKS[0])
        return {"checkins": {"submission": submission, "rows": rows, "first_due": first_due}}
