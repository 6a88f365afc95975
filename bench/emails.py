"""``make load``'s emails: the notification log after the run, checked against the events that send one.

Run inside the load's database (``manage.py shell -c``, see bench/load.py):
``stored_print()`` prints one JSON line of what is stored. Each event that
sends email has a key of its own in the log (notifications.events), so the
check is exact: every event's key is there once, and no key is there that no
event made. ``emails_check()`` then compares that with what the simulated
patients saw succeed (bench/patients.py).
"""

from __future__ import annotations

import json

EVENT_KINDS = ("booking_request_clinic", "booking_request_patient", "red_flag_clinic")


def expected_keys() -> dict[str, set[str]]:
    """The log's key for each event that must send an email, by kind, from what is stored."""
    from booking.models import BookingRequest
    from triage.models import RED_FLAG_DISPOSITIONS, Submission

    bookings = list(BookingRequest.objects.values_list("pk", "email", "consent"))
    red_flags = Submission.objects.filter(disposition__in=RED_FLAG_DISPOSITIONS, contact_consent=True)
    return {
        "booking_request_clinic": {f"booking-request:{pk}:clinic" for pk, _email, _consent in bookings},
        "booking_request_patient": {
            f"booking-request:{pk}:patient" for pk, email, consent in bookings if email and consent
        },
        "red_flag_clinic": {f"red-flag:{pk}:clinic" for pk in red_flags.values_list("pk", flat=True)},
    }


def stored_figures() -> dict:
    """Submissions, booking requests and the notification log by kind and status, and which keys differ."""
    from django.db.models import Count

    from booking.models import BookingRequest
    from notifications.models import Notification
    from triage.models import RED_FLAG_DISPOSITIONS, Submission

    by_kind: dict[str, dict[str, int]] = {kind: {} for kind in EVENT_KINDS}
    for row in Notification.objects.values("kind", "status").annotate(n=Count("id")).order_by("kind", "status"):
        by_kind.setdefault(row["kind"], {})[row["status"]] = row["n"]
    expected = expected_keys()
    logged = set(Notification.objects.values_list("key", flat=True))
    wanted = set().union(*expected.values())
    return {
        "submissions": Submission.objects.count(),
        "booking_requests": BookingRequest.objects.count(),
        "booking_requests_with_email": len(expected["booking_request_patient"]),
        "red_flags_with_consent": Submission.objects.filter(
            disposition__in=RED_FLAG_DISPOSITIONS, contact_consent=True
        ).count(),
        "notifications": Notification.objects.count(),
        "notifications_by_kind": by_kind,
        "events_without_email": sorted(wanted - logged)[:5],
        "emails_without_event": sorted(logged - wanted)[:5],
        "events_without_email_count": len(wanted - logged),
        "emails_without_event_count": len(logged - wanted),
    }


def stored_print() -> None:
    print(json.dumps(stored_figures()))


def stored_parse(output: str) -> dict:
    """The JSON line ``stored_print`` wrote, out of the command's whole output."""
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no figures in the output: {output[-300:]!r}")


def emails_check(*, stored: dict, stats) -> dict:
    """The email figures for the load report: by kind and status, and whether emails == events.

    Events as the patients saw them: a booking request (one email to the
    clinic, and one to the patient when they gave an email address) and a
    red flag with consent (one to the clinic). Exactly one email per event:
    as many rows of each kind as events, each event's own key among them,
    nothing left queued or sending (the load sends inline), no row without an
    event.
    """
    events = {
        "booking_request_clinic": stats.booking_requests,
        "booking_request_patient": stats.booking_requests_with_email,
        "red_flag_clinic": stats.api_red_flags_with_consent,
    }
    by_kind = stored["notifications_by_kind"]
    emails = {kind: sum(by_kind.get(kind, {}).values()) for kind in EVENT_KINDS}
    statuses: dict[str, int] = {}
    for counts in by_kind.values():
        for status, n in counts.items():
            statuses[status] = statuses.get(status, 0) + n
    unsent = statuses.get("queued", 0) + statuses.get("sending", 0)
    one_each = (
        emails == events
        and stored["notifications"] == sum(events.values())
        and stored["events_without_email_count"] == 0
        and stored["emails_without_event_count"] == 0
    )
    return {
        "events": sum(events.values()),
        "emails": stored["notifications"],
        "events_by_kind": events,
        "emails_by_kind": by_kind,
        "sent": statuses.get("sent", 0),
        "failed": statuses.get("failed", 0),
        "queued": unsent,
        "events_without_email": stored["events_without_email_count"],
        "emails_without_event": stored["emails_without_event_count"],
        "one_email_per_event": one_each,
        "ok": one_each and unsent == 0 and statuses.get("failed", 0) == 0,
    }
