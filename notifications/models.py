"""The notification log: one row per email the site sends, whatever became of it.

The row is created before the email is sent, under a key unique to the event
("booking-request:42:clinic"), so however often a request is repeated or a
task retried, each event gets one email. Rows go with their submission when it
is deleted or purged: the log keeps no patient address after the answers are gone.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from triage.models import Submission


class NotificationKind(models.TextChoices):
    BOOKING_REQUEST_CLINIC = "booking_request_clinic", _("Booking request: to the clinic")
    BOOKING_REQUEST_PATIENT = "booking_request_patient", _("Booking request: confirmation to the patient")
    RED_FLAG_CLINIC = "red_flag_clinic", _("Red-flag self-check: to the clinic")
    FOLLOWUP_PATIENT = "followup_patient", _("Follow-up check-in: to the patient")
    FOLLOWUP_RED_FLAG_CLINIC = "followup_red_flag_clinic", _("Follow-up check-in with a new red flag: to the clinic")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    key = models.CharField(
        _("event key"),
        max_length=100,
        unique=True,
        help_text=_("One per event and recipient, e.g. booking-request:42:clinic: the same event never sends twice."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices, db_index=True)
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("self-check"),
        help_text=_("The self-check the email is about; the row is deleted with it."),
    )
    recipient = models.EmailField(_("recipient"), blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Plain text, as sent. Never health details."))
    status = models.CharField(
        _("status"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now, editable=False, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notification log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_status_created")]

    def __str__(self) -> str:
        return self.key
