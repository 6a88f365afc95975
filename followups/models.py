"""Follow-up check-ins: at 6 and 12 weeks, did the person get better?

One row per submission and week, made when the check-in falls due and is
emailed (never before: a person who unsubscribes or deletes their answers
leaves nothing scheduled behind). The (submission, week) pair is unique, so
however often the scheduler runs or a task retries, a check-in exists, and is
emailed, at most once. The row goes with its submission when it is deleted
or purged.

The answers are the three PEG questions (0-10), a 7-point global rating of
change, who they have seen since, and the red-flag checklist asked again.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from triage.models import Submission

CHECKIN_WEEKS = (6, 12)


class CheckInStatus(models.TextChoices):
    SENT = "sent", _("Emailed")
    OPENED = "opened", _("Opened")
    ANSWERED = "answered", _("Answered")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Email failed")
    EXPIRED = "expired", _("Link expired")


class GlobalChange(models.IntegerChoices):
    """The 7-point global rating of change: 1 much better ... 7 much worse."""

    MUCH_BETTER = 1, _("Much better")
    BETTER = 2, _("Better")
    A_LITTLE_BETTER = 3, _("A little better")
    SAME = 4, _("About the same")
    A_LITTLE_WORSE = 5, _("A little worse")
    WORSE = 6, _("Worse")
    MUCH_WORSE = 7, _("Much worse")


class SeenProfessional(models.TextChoices):
    FOOT_FOUNDATION = "foot_foundation", _("A podiatrist at Foot Foundation")
    GP = "gp", _("A GP (doctor)")
    PHYSIO = "physio", _("A physiotherapist")
    OTHER = "other", _("Someone else")
    NO = "no", _("No one yet")


class CheckIn(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("self-check")
    )
    week = models.PositiveSmallIntegerField(_("week"), help_text=_("Weeks after the self-check: 6 or 12."))
    status = models.CharField(
        _("status"), max_length=12, choices=CheckInStatus.choices, default=CheckInStatus.SENT, db_index=True
    )
    # The link's secret: the emailed link carries a signed (id, nonce) pair.
    # Cleared once the check-in is answered or expires, so the link is single use.
    nonce = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, db_index=True)
    pain_intensity = models.PositiveSmallIntegerField(_("pain (0-10)"), null=True, blank=True)
    enjoyment_interference = models.PositiveSmallIntegerField(
        _("interference with enjoyment of life (0-10)"), null=True, blank=True
    )
    activity_interference = models.PositiveSmallIntegerField(
        _("interference with general activity (0-10)"), null=True, blank=True
    )
    global_change = models.PositiveSmallIntegerField(
        _("change since the self-check"), choices=GlobalChange.choices, null=True, blank=True
    )
    seen_professional = models.CharField(_("seen since"), max_length=20, choices=SeenProfessional.choices, blank=True)
    red_flags = models.JSONField(
        _("warning signs ticked"), default=list, blank=True, help_text=_("Codes of the warning signs ticked.")
    )
    disposition = models.CharField(
        _("advice given"),
        max_length=20,
        blank=True,
        help_text=_("Emergency or see a doctor today when a warning sign was ticked; blank otherwise."),
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["submission", "week"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "week"], name="one_checkin_per_week"),
            models.CheckConstraint(condition=models.Q(week__in=CHECKIN_WEEKS), name="checkin_week_6_or_12"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__lte": 10}),
                    name=f"checkin_{field}_0_to_10",
                )
                for field in ("pain_intensity", "enjoyment_interference", "activity_interference")
            ),
            models.CheckConstraint(
                condition=models.Q(global_change__isnull=True) | models.Q(global_change__gte=1, global_change__lte=7),
                name="checkin_global_change_1_to_7",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} week {self.week}"

    @property
    def new_red_flag(self) -> bool:
        return bool(self.red_flags)
