"""Clinical content and its choices: the fixed option sets, conditions, questions, weights,
escalation rules and clinics staff edit (the draft), and the published RulesetVersion.

Split from triage.models to keep each module short; triage.models re-exports every name here,
so import them from there (the models' app label and migrations are unchanged).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    EMERGENCY = "emergency", _("Red flag: emergency now")
    DOCTOR_TODAY = "doctor_today", _("Red flag: see a doctor today")
    SYMPTOM = "symptom", _("Symptom")
    DRIVER = "driver", _("Foot driver or sign")
    CONTEXT = "context", _("Context or history (acts only through escalation rules)")


class QuestionGroup(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HISTORY = "history", _("Your health and how it started")
    HIP = "hip", _("Hip")
    GROIN = "groin", _("Groin")
    LEG = "leg", _("Leg")
    BACK = "back", _("Lower back")
    FEET = "feet", _("Feet")
    MOVEMENT = "movement", _("Movement")


class PainDuration(models.TextChoices):
    UNDER_6_WEEKS = "under_6_weeks", _("Less than 6 weeks")
    SIX_TO_12_WEEKS = "6_to_12_weeks", _("6 to 12 weeks")
    OVER_12_WEEKS = "over_12_weeks", _("More than 12 weeks")


class Disposition(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency: call 111")
    SEE_DOCTOR_TODAY = "see_doctor_today", _("See a doctor today")
    SEE_GP_SOON = "see_gp_soon", _("See a GP or physio within days")
    BOOK_ASSESSMENT = "book_assessment", _("Book an assessment")
    SELF_CARE = "self_care", _("Self-care for now")


RED_FLAG_DISPOSITIONS = (Disposition.EMERGENCY, Disposition.SEE_DOCTOR_TODAY)

# The call list's urgency levels, most urgent first: Disposition's own order.
# Codes rather than members, and "see_gp_soon" listed before its choice exists
# (issue 11 adds it), because the database cannot change a generated column's
# expression in place: a disposition missing here would mean dropping and
# re-adding Submission.urgency. tests/triage/test_models.py checks this list
# against Disposition.
URGENCY_ORDER = ("emergency", "see_doctor_today", "see_gp_soon", "book_assessment", "self_care")


class ReviewStatus(models.TextChoices):
    """Where the clinic is with following a submission up (see review.workflow for the allowed moves)."""

    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    CONTACTED = "contacted", _("Contacted")
    BOOKED = "booked", _("Booked")
    CLOSED = "closed", _("Closed")
    NOT_APPROPRIATE = "not_appropriate", _("Not appropriate")


class BodyRegion(models.TextChoices):
    """Where on the body a question asks about: the symptoms step's body diagram ticks it from there."""

    HIP = "hip", _("Outside of the hip")
    GROIN = "groin", _("Groin")
    LOWER_BACK_BUTTOCK = "lower_back_buttock", _("Lower back or buttock")
    LEG = "leg", _("Down the leg")


def retired_at_field() -> models.DateTimeField:
    return models.DateTimeField(
        _("retired"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Left out of new drafts; kept so past results and outcomes that name it still read."),
    )


class Condition(models.Model):
    # The slug is the key: stable by design, and a suggestion can be stored
    # against it without looking the condition up first.
    slug = models.SlugField(_("slug"), primary_key=True, help_text=_("Stable identifier; do not change."))
    name = models.CharField(_("name"), max_length=100)
    summary = models.TextField(_("plain summary"), help_text=_("What it is, in plain words a patient understands."))
    clinic_care = models.TextField(
        _("what the clinic does"), help_text=_("How the clinic assesses and treats it, in plain words.")
    )
    threshold = models.DecimalField(
        _("suggestion threshold"),
        max_digits=3,
        decimal_places=2,
        default=0.40,
        validators=[MinValueValidator(0.01), MaxValueValidator(1)],
        help_text=_("Normalised score (0 to 1) at or above which the condition is suggested."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    retired_at = retired_at_field()

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


def enable_when_validate(value: object) -> None:
    """A list of ``{"question": <code>, "answer": true|false}``: the question is asked when any one holds."""
    if not isinstance(value, list) or not all(
        isinstance(item, dict)
        and set(item) == {"question", "answer"}
        and isinstance(item["question"], str)
        and item["question"]
        and isinstance(item["answer"], bool)
        for item in value
    ):
        raise ValidationError(
            _('Write a list like [{"question": "groin_pain", "answer": true}], or [] to always ask it.'),
            code="enable_when_shape",
        )


class Question(models.Model):
    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Stable identifier used by scoring, exports and integrations; do not change."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    group = models.CharField(_("group"), max_length=20, choices=QuestionGroup.choices)
    text = models.CharField(_("question"), max_length=200, help_text=_("As the patient reads it."))
    help_text = models.CharField(
        _("help text"), max_length=300, blank=True, help_text=_("A short explanation under the question.")
    )
    summary = models.CharField(
        _("answer in plain words"),
        max_length=150,
        help_text=_('How a "yes" reads back on the result, e.g. "Pain when lying on that side".'),
    )
    advice = models.TextField(
        _("what helps"), blank=True, help_text=_("For foot drivers and signs: what the clinic can do about it.")
    )
    prompts_assessment = models.BooleanField(
        _("reason to be assessed"),
        default=False,
        help_text=_("A yes is on its own a reason to book an assessment (unless a red flag applies)."),
    )
    enable_when = models.JSONField(
        _("ask only when"),
        default=list,
        blank=True,
        validators=[enable_when_validate],
        help_text=_(
            "Leave as [] to always ask. Otherwise the question is asked only when any one of these earlier "
            'answers was given, e.g. [{"question": "groin_pain", "answer": true}]. A question not asked is '
            'stored as not asked, never as "no". Exported as FHIR enableWhen.'
        ),
    )
    body_region = models.CharField(
        _("body diagram area"),
        max_length=20,
        choices=BodyRegion.choices,
        blank=True,
        default="",
        help_text=_(
            "For a question about where it hurts: tapping this area of the body diagram answers it yes. "
            "Leave empty for any other question."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    retired_at = retired_at_field()
    why_we_ask = models.TextField(
        _("why we ask"),
        blank=True,
        help_text=_("One or two plain sentences on why the answer matters; shown when the person asks."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code


class QuestionnaireField(models.Model):
    """The words of one of the questionnaire's own fields (age, how long, the PEG scales, the clinic).

    The field itself is built in (its answer is a column of the submission);
    its words are content, published with the ruleset (see triage.field_texts).
    """

    code = models.SlugField(
        _("field"), max_length=50, primary_key=True, help_text=_("The field these words are for; do not change.")
    )
    label = models.CharField(_("question"), max_length=200, help_text=_("As the patient reads it."))
    help_text = models.CharField(
        _("help text"), max_length=300, blank=True, help_text=_("A short line under the question.")
    )
    why_we_ask = models.TextField(
        _("why we ask"),
        help_text=_("One or two plain sentences on why the answer matters; shown when the person asks."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, editable=False)

    class Meta:
        verbose_name = _("questionnaire field")
        verbose_name_plural = _("questionnaire fields")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label


class ConditionWeight(models.Model):
    """How much a "yes" to a question counts towards a condition.

    A symptom's weight counts towards the condition's score and its total; a
    foot driver's weight only adds to a score that symptoms have already
    started, so a driver alone never suggests a condition.
    """

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="weights", verbose_name=_("condition")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="weights",
        verbose_name=_("question"),
        limit_choices_to={"kind__in": [QuestionKind.SYMPTOM, QuestionKind.DRIVER]},
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 (weak link) to 10 (telling sign). Symptoms are usually 1 to 3, drivers 1."),
    )

    class Meta:
        verbose_name = _("weight")
        verbose_name_plural = _("weights")
        ordering = ["condition", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["condition", "question"], name="unique_condition_question_weight")
        ]

    def __str__(self) -> str:
        return f"{self.condition} ← {self.question} ({self.weight})"


class EscalationRule(models.Model):
    """One rule deciding a result's disposition (the draft: publishing freezes the rules with the content).

    Rules are tried most urgent disposition first, then by order; the first
    whose conditions all hold decides. The conditions' vocabulary is
    described in triage.escalation.
    """

    code = models.SlugField(
        _("reason code"),
        max_length=50,
        unique=True,
        help_text=_("Stable identifier reported in results and the API as the reason; do not change."),
    )
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Among rules with the same disposition, lower is tried first.")
    )
    conditions = models.JSONField(
        _("conditions"),
        default=dict,
        blank=True,
        help_text=_(
            'All must hold, e.g. {"any_yes": ["cancer_history"], "age_at_least": 50}. Keys: any_yes, all_yes, '
            "any_kind_yes, no_symptom, any_prompts_assessment, condition_suggested, intensity_at_least, "
            "intensity_at_most, duration_in, age_at_least, not. Empty: always holds (the fallback)."
        ),
    )
    reason = models.CharField(
        _("why, in plain words"),
        max_length=300,
        help_text=_("One sentence the patient reads; {intensity} and {age} are filled in."),
    )
    source = models.CharField(_("source"), max_length=300, help_text=_("The guidance this rule comes from."))

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code


class Clinic(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    booking_url = models.URLField(_("online booking link"), blank=True)
    notify_email = models.EmailField(
        _("notification email"),
        max_length=254,
        blank=True,
        help_text=_(
            "Where new booking requests and red-flag self-checks for this clinic are announced "
            "(no health details are emailed). Empty: the site-wide CLINIC_NOTIFY_EMAIL."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The clinic as people choose it from a list: its name and, when it has one, its region."""
        return f"{self.name} ({self.region})" if self.region else self.name


class RulesetVersion(models.Model):
    """An immutable, published snapshot of all clinical content."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    content = models.JSONField(_("content"), help_text=_("Conditions, questions and weights as published."))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("ruleset version")
        verbose_name_plural = _("ruleset versions")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}"
