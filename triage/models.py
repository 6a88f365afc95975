"""Clinical content (conditions, questions, weights, clinics), published
ruleset versions, and the submissions patients make.

Content rows are the *draft*: staff edit them in the admin. A row a published
version, a suggestion or an outcome names is retired (left out of new drafts),
never deleted (triage.content). Publishing copies
them into an immutable RulesetVersion, which is what patients see and what
scores their answers, so a half-finished edit never reaches a patient and a
past result can always be traced to the exact rules that produced it.

The content models and choices live in triage.content_models (kept short, issue 10)
and are re-exported here: import every model from triage.models.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .contact import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PHONE_MAX_LENGTH
from .content_models import (  # re-exported: import these from triage.models
    RED_FLAG_DISPOSITIONS,
    URGENCY_ORDER,
    BodyRegion,  # noqa: F401
    Clinic,
    Condition,
    ConditionWeight,  # noqa: F401
    Disposition,
    EscalationRule,  # noqa: F401
    PainDuration,
    Question,  # noqa: F401
    QuestionGroup,  # noqa: F401
    QuestionKind,  # noqa: F401
    QuestionnaireField,  # noqa: F401
    ReviewStatus,
    RulesetVersion,
    enable_when_validate,  # noqa: F401
    retired_at_field,  # noqa: F401
)
from .scoring import peg_score


class Submission(models.Model):
    reference = models.CharField(_("reference"), max_length=8, unique=True)
    token = models.CharField(_("result token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False, db_index=True)
    ruleset_version = models.ForeignKey(
        RulesetVersion,
        on_delete=models.PROTECT,
        to_field="number",
        related_name="submissions",
        verbose_name=_("ruleset version"),
    )
    answers = models.JSONField(
        _("answers"),
        default=dict,
        help_text=_("Question code to yes (true) or no (false); a question the person was not asked is left out."),
    )
    pain_duration = models.CharField(_("pain duration"), max_length=20, choices=PainDuration.choices, blank=True)
    pain_intensity = models.PositiveSmallIntegerField(
        _("pain intensity"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    enjoyment_interference = models.PositiveSmallIntegerField(
        _("interference with enjoyment of life"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    activity_interference = models.PositiveSmallIntegerField(
        _("interference with general activity"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    age = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, validators=[MinValueValidator(16), MaxValueValidator(110)]
    )
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("preferred clinic"),
    )
    contact_consent = models.BooleanField(_("agreed to be contacted"), default=False)
    contact_consent_at = models.DateTimeField(
        _("consent given at"), null=True, blank=True, help_text=_("When the person ticked the consent box.")
    )
    # Follow-up check-ins (the followups app): a separate opt-in on the contact
    # step, only with an email and consent to be contacted. Unsubscribing
    # clears it and records when, so no further check-in is ever emailed.
    followup_consent = models.BooleanField(
        _("agreed to follow-up check-ins"),
        default=False,
        help_text=_("May we email at 6 and 12 weeks to ask how they are getting on."),
    )
    followup_consent_at = models.DateTimeField(_("check-in consent given at"), null=True, blank=True)
    followup_unsubscribed_at = models.DateTimeField(
        _("unsubscribed from check-ins at"), null=True, blank=True, help_text=_("No check-in is emailed after this.")
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version"),
        max_length=20,
        blank=True,
        help_text=_("The version of the collection notice shown before the first question."),
    )
    contact_name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, blank=True)
    contact_email = models.EmailField(_("email"), max_length=EMAIL_MAX_LENGTH, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH, blank=True)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices, db_index=True)
    result = models.JSONField(
        _("result"), default=dict, help_text=_("The full scoring result as computed at the time.")
    )
    # Set once per questionnaire run, so a double-clicked or replayed final
    # submit finds the stored submission instead of making a second one.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # Computed by the database from the disposition, so storing a submission
    # costs no extra work and the triage queue can sort red flags first from
    # an index instead of evaluating an expression on every row.
    red_flag = models.GeneratedField(
        expression=models.Case(
            models.When(disposition__in=RED_FLAG_DISPOSITIONS, then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("red flag"),
    )
    # The call list's first sort key (0 is the most urgent), kept by the
    # database so that order is read from an index.
    urgency = models.GeneratedField(
        expression=models.Case(
            *[models.When(disposition=code, then=models.Value(rank)) for rank, code in enumerate(URGENCY_ORDER)],
            default=models.Value(len(URGENCY_ORDER)),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("urgency"),
    )

    # The clinic's follow-up; changed only through review.services.
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.NEW, db_index=True
    )
    not_appropriate_reason = models.CharField(
        _("why not appropriate"),
        max_length=300,
        blank=True,
        help_text=_("Required when the status is 'not appropriate'."),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_submissions",
        verbose_name=_("assigned clinician"),
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-red_flag", "-created_at"]
        permissions = [
            ("export_submission", _("Can export submissions as CSV")),
            # Reception sees who to call, not what they said: the answers,
            # scores and suggestions need this one too.
            ("view_answers", _("Can see the answers and scores")),
        ]
        indexes = [
            # The triage queue's default order: red flags first, then newest
            # (the admin adds the primary key to make the order total).
            models.Index(fields=["-red_flag", "-created_at", "-id"], name="submission_queue_order"),
            models.Index(fields=["status", "-created_at"], name="submission_status_created"),
            # The call list: most urgent, then people who can be contacted,
            # then the longest waiting (see review.selectors.queue).
            models.Index(fields=["urgency", "-contact_consent", "created_at", "id"], name="submission_call_list"),
            # The call list's count of rows that need action (review.selectors.queue): status, clinic
            # (need to know) and id (the open-booking test) are all it reads, so it counts from
            # this index alone, never visiting the rows with their answers and result.
            models.Index(fields=["status", "clinic", "id"], name="submission_status_clinic"),
            # Covers the dashboard's counts by disposition, clinic and week (index-only scan, no sort).
            models.Index(fields=["disposition", "clinic", "created_at"], name="submission_dashboard"),
            # The queue's search (part of a name, email or phone, or the
            # reference) has to look at every row; this lets it read a narrow
            # index instead of every row with its answers and result.
            models.Index(
                fields=["contact_name", "contact_email", "contact_phone", "reference"], name="submission_search"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pain_intensity__isnull=True) | models.Q(pain_intensity__lte=10),
                name="pain_intensity_0_to_10",
            ),
            models.CheckConstraint(
                condition=models.Q(enjoyment_interference__isnull=True) | models.Q(enjoyment_interference__lte=10),
                name="enjoyment_interference_0_to_10",
            ),
            models.CheckConstraint(
                condition=models.Q(activity_interference__isnull=True) | models.Q(activity_interference__lte=10),
                name="activity_interference_0_to_10",
            ),
            models.CheckConstraint(
                condition=models.Q(age__isnull=True) | models.Q(age__gte=16, age__lte=110),
                name="age_16_to_110",
            ),
            models.CheckConstraint(
                condition=models.Q(contact_consent=True)
                | (models.Q(contact_name="") & models.Q(contact_email="") & models.Q(contact_phone="")),
                name="contact_details_only_with_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(followup_consent=False)
                | (models.Q(contact_consent=True) & ~models.Q(contact_email="")),
                name="followup_only_with_email_and_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def peg(self) -> float | None:
        """The PEG score (mean of pain, enjoyment and activity interference), or None unless all three were given."""
        return peg_score(
            pain_intensity=self.pain_intensity,
            enjoyment=self.enjoyment_interference,
            activity=self.activity_interference,
        )


class Suggestion(models.Model):
    """A condition suggested to a patient, as scored at the time."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("submission")
    )
    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("condition")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=3)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["submission", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "rank"], name="unique_suggestion_rank"),
            models.UniqueConstraint(fields=["submission", "condition"], name="unique_suggestion_condition"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} #{self.rank}: {self.condition}"


from .access import StaffClinicAccess  # noqa: E402, F401  (need to know, see triage.access)
