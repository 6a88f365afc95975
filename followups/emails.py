"""The check-in emails: to the patient at 6 and 12 weeks, and to the clinic on a new red flag.

The patient's email says only when they did the self-check, their reference,
the one-time link with its expiry date and the unsubscribe link: no
condition, no advice, no pain scores. The notification log keeps the body as
sent *except the two links*, which read "[link left out of the log]" there:
staff who can read the log must not be able to open a person's check-in and
answer as them, or unsubscribe them. The links are signed and put in only at
sending time (``checkin_email_outgoing``, registered with the notification
sender), from the same template, so the log and the email differ in the
links alone. A check-in no longer wanted by then (unsubscribed, answered,
closed or deleted) is not sent at all.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone

from notifications.events import admin_url, clinic_notify_address
from notifications.models import Notification, NotificationKind
from notifications.services import Outgoing, notification_queue
from triage.models import Disposition

from .models import CheckIn, CheckInStatus
from .tokens import checkin_link_sign, unsubscribe_link_sign

PATIENT_TEMPLATE = "notifications/followup_patient.txt"
LEFT_OUT = "[link left out of the log]"
OPEN_STATUSES = (CheckInStatus.SENT, CheckInStatus.OPENED)


def patient_key(checkin: CheckIn) -> str:
    return f"followup:{checkin.pk}:patient"


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y")


def checkin_url(checkin: CheckIn) -> str:
    signed = checkin_link_sign(checkin_id=checkin.pk, nonce=checkin.nonce)
    return f"{settings.SITE_URL}{reverse('followups:checkin', args=[signed])}"


def unsubscribe_url(checkin: CheckIn) -> str:
    return f"{settings.SITE_URL}{reverse('followups:unsubscribe', args=[unsubscribe_link_sign(checkin_id=checkin.pk)])}"


def _context(checkin: CheckIn, *, links: bool) -> dict:
    submission = checkin.submission
    return {
        "submitted_on": _date(submission.created_at),
        "weeks": checkin.week,
        "expires_on": _date(checkin.expires_at),
        "reference": submission.reference,
        "checkin_url": checkin_url(checkin) if links else LEFT_OUT,
        "unsubscribe_url": unsubscribe_url(checkin) if links else LEFT_OUT,
    }


def checkin_email_queue(*, checkin: CheckIn) -> Notification | None:
    """Log the check-in's email (links left out) and send it once the transaction commits."""
    submission = checkin.submission
    return notification_queue(
        key=patient_key(checkin),
        kind=NotificationKind.FOLLOWUP_PATIENT,
        recipient=submission.contact_email,
        subject=f"How are you getting on? Your Foot Foundation self-check ({submission.reference})",
        body_template=PATIENT_TEMPLATE,
        context=_context(checkin, links=False),
        submission=submission,
    )


def checkin_email_outgoing(notification: Notification) -> Outgoing | None:
    """The email as it leaves: the logged body with the real links, and the List-Unsubscribe headers.

    None (not sent) when the check-in is gone, answered or closed, or the
    person has unsubscribed since it was queued.
    """
    checkin_id = int(notification.key.split(":")[1])
    checkin = CheckIn.objects.select_related("submission").filter(pk=checkin_id).first()
    if (
        checkin is None
        or checkin.status not in OPEN_STATUSES
        or not checkin.nonce
        or not checkin.submission.followup_consent
        or checkin.submission.followup_unsubscribed_at is not None
    ):
        return None
    unsubscribe = unsubscribe_url(checkin)
    return Outgoing(
        body=render_to_string(PATIENT_TEMPLATE, _context(checkin, links=True)),
        # RFC 2369 and RFC 8058: a mail program's own "unsubscribe" button, one POST, no page to read.
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def red_flag_checkin_notify(*, checkin: CheckIn) -> Notification | None:
    """A check-in with a new red flag: tell the clinic as for a red-flag self-check (reference and link only)."""
    submission = checkin.submission
    clinic = submission.clinic
    label = str(Disposition(checkin.disposition).label) if checkin.disposition in Disposition.values else ""
    return notification_queue(
        key=f"followup-red-flag:{checkin.pk}:clinic",
        kind=NotificationKind.FOLLOWUP_RED_FLAG_CLINIC,
        recipient=clinic_notify_address(clinic=clinic),
        subject=f"Red flag in a check-in: self-check {submission.reference} ({label})",
        body_template="notifications/followup_red_flag_clinic.txt",
        context={
            "reference": submission.reference,
            "clinic_name": clinic.name if clinic is not None else "",
            "weeks": checkin.week,
            "disposition": label,
            "admin_url": admin_url(name="admin:triage_submission_change", pk=submission.pk),
        },
        submission=submission,
    )
