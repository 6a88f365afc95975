"""What the clinic does with a submission after the patient has sent it.

Notes are append-only; the outcome records what an assessment really found
(the ground truth the accuracy report measures the self-check against);
status changes keep who moved a submission, when, from where to where and why
(the workflow timeline clinicians read). An outcome's earlier versions are kept
by django-simple-history: a corrected finding is what the accuracy report
measures, and the audit trail keeps who changed it but not what it said.
A submission's assignment and status need no history table of their own: the
status changes and the audit trail (who, when, from where, old and new value)
already answer that.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from triage.models import Condition, ReviewStatus, Submission


class Note(models.Model):
    """A clinician's note on a submission: written once, never edited or deleted."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="notes", verbose_name=_("submission")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["submission", "created_at", "pk"]

    def __str__(self) -> str:
        # No related lookups here: the admin shows this for every note on a page.
        return f"Note of {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class Outcome(models.Model):
    """What the clinician found at the assessment, to measure the self-check against."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("submission")
    )
    conditions = models.ManyToManyField(
        Condition,
        blank=True,
        related_name="+",
        verbose_name=_("conditions found"),
        help_text=_("Every condition from the list that the assessment found."),
    )
    other = models.BooleanField(
        _("another condition"), default=False, help_text=_("Something not on the list (say what below).")
    )
    none_found = models.BooleanField(
        _("none of these"), default=False, help_text=_("The assessment found none of the listed conditions.")
    )
    detail = models.TextField(_("what was found, in words"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # Deleting an outcome (with its submission: the patient's own delete, or
    # the retention purge) deletes its history too; the audit trail keeps the fact.
    history = HistoricalRecords(m2m_fields=[conditions], cascade_delete_history=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Outcome recorded {timezone.localtime(self.recorded_at):%Y-%m-%d %H:%M}"


class StatusChange(models.Model):
    """One move of a submission through the review workflow."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("submission")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ReviewStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ReviewStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Empty when the self-check moved it: a check-in with a new warning sign reopens it (review.services).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["submission", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
