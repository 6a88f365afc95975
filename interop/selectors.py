"""Reads for the FHIR endpoints."""

from __future__ import annotations

from followups.models import CheckIn, CheckInStatus
from triage.access import submissions_visible
from triage.models import RulesetVersion, Submission


def ruleset_version_get(*, number: int | None = None) -> RulesetVersion | None:
    """A published version's row (without its content), the latest when ``number`` is None."""
    versions = RulesetVersion.objects.defer("content")
    if number is None:
        return versions.order_by("-number").first()
    return versions.filter(number=number).first()


def submission_get_by_reference(*, reference: str, user) -> Submission | None:
    """The submission, if ``user`` may see it (their clinics: triage.access)."""
    return (
        submissions_visible(user=user, queryset=Submission.objects.all())
        .select_related("clinic", "ruleset_version")
        .defer("ruleset_version__content")
        .filter(reference=reference)
        .first()
    )


def booking_preferred_times(*, submission: Submission) -> list[str]:
    """The days and times that suit, in words, one per booking request (oldest first).

    Read through the relation booking adds to a submission (``booking_requests``),
    as interop and booking are siblings; prefetch it when building many.
    """
    requests = sorted(submission.booking_requests.all(), key=lambda request: request.created_at)
    return [request.preferred_in_words() for request in requests]


def checkin_answered_get(*, submission: Submission, week: int) -> CheckIn | None:
    """The submission's answered check-in of that week, if there is one."""
    return CheckIn.objects.filter(submission=submission, week=week, status=CheckInStatus.ANSWERED).first()
