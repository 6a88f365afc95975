"""The forms of a submission's review page: the follow-up fields and the outcome."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from triage.models import Condition, ReviewStatus, Submission

from . import services
from .models import Outcome
from .workflow import allowed_next, transition_check

CLINICIAN_GROUP = "Clinician"


class StatusField(forms.ChoiceField):
    """Offers only the moves allowed from the current status, but accepts any
    status, so a move the workflow refuses gets the workflow's own message
    (naming the allowed moves) rather than a bare "not a valid choice"."""

    def valid_value(self, value) -> bool:
        return value in ReviewStatus.values


class SubmissionReviewForm(forms.ModelForm):
    """The only things staff change on a submission: its status and who follows it up."""

    status = StatusField(label=_("status"))
    status_reason = forms.CharField(
        label=_("reason for the change"),
        required=False,
        max_length=300,
        help_text=_("Required for 'not appropriate'; kept with the status history."),
    )

    class Meta:
        model = Submission
        fields = ["assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        self.initial["status"] = current
        self.fields["status"].choices = [
            (value, label)
            for value, label in ReviewStatus.choices
            if value == current or value in allowed_next(current)
        ]
        if "assigned_to" in self.fields:
            # Lazy: evaluated when the widget renders, not here.
            self.fields["assigned_to"].queryset = (
                get_user_model()
                .objects.filter(is_active=True, is_staff=True)
                .filter(Q(groups__name=CLINICIAN_GROUP) | Q(is_superuser=True))
                .distinct()
                .order_by("username")
            )

    def clean(self):
        cleaned = super().clean()
        to_status = cleaned.get("status")
        if to_status and to_status != self.instance.status:
            try:
                transition_check(
                    from_status=self.instance.status, to_status=to_status, reason=cleaned.get("status_reason", "")
                )
            except ValidationError as error:
                self.add_error("status_reason" if error.code == "reason_required" else "status", error)
        return cleaned


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["conditions", "other", "none_found", "detail"]
        widgets = {"conditions": forms.CheckboxSelectMultiple, "detail": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only current conditions are offered; a retired one an outcome already names stays
        # (shown, ticked and kept on save). Lazy: a subquery when the widget renders, no query here.
        current = Q(retired_at=None)
        if self.instance.pk is not None:
            current |= Q(pk__in=self.instance.conditions.values("pk"))
        self.fields["conditions"].queryset = Condition.objects.filter(current)

    def clean(self):
        cleaned = super().clean()
        try:
            services.outcome_check(
                conditions=cleaned.get("conditions") or [],
                other=cleaned.get("other", False),
                none_found=cleaned.get("none_found", False),
            )
        except ValidationError as error:
            raise ValidationError(error.messages, code=error.code) from None
        return cleaned
