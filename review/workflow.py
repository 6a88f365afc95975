"""The review workflow: which status may follow which.

    new -> in review -> contacted -> booked -> closed

A submission may also be closed once reviewed or contacted (nothing more to
do, e.g. the person chose not to book), or marked not appropriate from any
open status, with a reason. A closed or not-appropriate submission can be
reopened into review.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from triage.models import ReviewStatus

S = ReviewStatus
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.NEW: (S.IN_REVIEW, S.NOT_APPROPRIATE),
    S.IN_REVIEW: (S.CONTACTED, S.CLOSED, S.NOT_APPROPRIATE),
    S.CONTACTED: (S.BOOKED, S.CLOSED, S.NOT_APPROPRIATE),
    S.BOOKED: (S.CLOSED, S.NOT_APPROPRIATE),
    S.CLOSED: (S.IN_REVIEW,),
    S.NOT_APPROPRIATE: (S.IN_REVIEW,),
}


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def transition_check(*, from_status: str, to_status: str, reason: str = "") -> None:
    """Raise ValidationError (with a code) when the move is not allowed."""
    if to_status not in S.values:
        raise ValidationError(_("'%(status)s' is not a status."), code="unknown_status", params={"status": to_status})
    if to_status not in allowed_next(from_status):
        allowed = ", ".join(str(S(s).label) for s in allowed_next(from_status)) or _("none")
        raise ValidationError(
            _("A submission cannot go from '%(from)s' to '%(to)s'. From '%(from)s' it can go to: %(allowed)s."),
            code="invalid_transition",
            params={"from": S(from_status).label, "to": S(to_status).label, "allowed": allowed},
        )
    if to_status == S.NOT_APPROPRIATE and not reason.strip():
        raise ValidationError(
            _("Say why the submission is not appropriate (the reason is kept with the change)."),
            code="reason_required",
        )
