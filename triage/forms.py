"""The questionnaire's step forms.

Forms are built from the questions (and clinics) passed in: none of them
queries the database, so a step costs the same whatever the content.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property, lru_cache

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, LayoutObject
from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import contact_fields, scoring
from .contact import NAME_REQUIRED, ContactDetails
from .models import Clinic, PainDuration, QuestionGroup

YES, NO = "yes", "no"
YES_NO_CHOICES = [(YES, _("Yes")), (NO, _("No"))]
GROUP_LABELS = dict(QuestionGroup.choices)
YES_NO_TEMPLATE = "triage/_yes_no_questions.html"


def _helper(layout: Layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the wizard template owns the <form> and its buttons
    helper.disable_csrf = True
    helper.layout = layout
    return helper


class YesNoQuestions(LayoutObject):
    """Every yes/no question of a step, rendered by one template in one pass.

    Each step shows a dozen or more of these. Rendered one crispy field at a
    time, they were most of a step page's cost (profiled: docs/benchmarks.md);
    here the per-field values are gathered once and the template only loops.
    """

    template = YES_NO_TEMPLATE

    def __init__(self, groups: list[tuple[str | None, list[str]]]) -> None:
        self.groups = groups
        self.fields = [code for _legend, codes in groups for code in codes]

    def render(self, form, context, template_pack=None, **kwargs) -> str:
        key = tuple(
            (
                legend,
                tuple(
                    (
                        field.auto_id,
                        field.html_name,
                        field.label,
                        field.help_text,
                        form.why_we_ask.get(field.name, ""),
                        field.value(),
                        tuple(field.errors),
                    )
                    for field in (form[code] for code in codes)
                ),
            )
            for legend, codes in self.groups
        )
        return _yes_no_render(self.template, translation.get_language(), key)


@lru_cache(maxsize=256)
def _yes_no_render(template: str, language: str | None, groups: tuple) -> str:
    """The markup for one combination of questions, answers and errors.

    Memoised: the key holds everything the markup shows, and most requests
    for a step show the same thing (a first visit, no answers yet), so the
    template runs once per combination rather than once per request.
    """
    yes_no = [(choice, str(label)) for choice, label in YES_NO_CHOICES]
    context_groups = []
    for legend, fields in groups:
        questions = []
        for auto_id, name, label, help_text, why_we_ask, value, errors in fields:
            described_by = [f"{auto_id}_helptext"] * bool(help_text) + [f"{auto_id}_error"] * bool(errors)
            questions.append(
                {
                    "id": auto_id,
                    "name": name,
                    "label": label,
                    "help_text": help_text,
                    "why_we_ask": why_we_ask,
                    "errors": errors,
                    "described_by": " ".join(described_by),
                    "options": [
                        {"id": f"{auto_id}_{index}", "value": choice, "label": text, "checked": value == choice}
                        for index, (choice, text) in enumerate(yes_no)
                    ],
                }
            )
        context_groups.append({"legend": legend, "questions": questions})
    return render_to_string(template, {"groups": context_groups})


@lru_cache(maxsize=32)
def _yes_no_fields(questions: tuple[scoring.Question, ...]) -> dict[str, forms.ChoiceField]:
    """The fields for a set of questions, built once per published ruleset.

    The final submit re-validates every step, so building ~30 fields per
    request was a visible cost (docs/benchmarks.md). The instances are shared
    between forms: nothing may change them after this (these fields are
    rendered by YesNoQuestions, which only reads them).
    """
    return {
        question.code: forms.ChoiceField(
            label=question.text,
            help_text=question.help_text,
            choices=YES_NO_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose yes or no for this question.")},
        )
        for question in questions
    }


class YesNoQuestionsForm(forms.Form):
    """One required yes/no question per ``scoring.Question`` passed in, grouped as the patient sees them."""

    def __init__(self, *args, questions: Sequence[scoring.Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = tuple(questions)
        self.fields.update(_yes_no_fields(self.questions))
        self.why_we_ask = {question.code: question.why_we_ask for question in self.questions}

    @cached_property
    def helper(self) -> FormHelper:
        # Built only when the form is rendered: the final submit re-validates
        # every step's form without showing any of them.
        groups: dict[str, list[str]] = {}
        for question in self.questions:
            groups.setdefault(question.group, []).append(question.code)
        return _helper(self._layout(groups))

    def _layout(self, groups: dict[str, list[str]]) -> Layout:
        legends = len(groups) > 1
        return Layout(
            YesNoQuestions(
                [(GROUP_LABELS.get(group, group) if legends else None, codes) for group, codes in groups.items()]
            )
        )

    def answers(self) -> dict[str, bool]:
        """The cleaned answers keyed by question code."""
        return {question.code: self.cleaned_data[question.code] == YES for question in self.questions}

    def yes_codes(self) -> list[str]:
        return [code for code, value in self.answers().items() if value]


AGE_MESSAGE = _("Enter your age in whole years, from 16 to 110, or leave it empty.")


class SafetyForm(YesNoQuestionsForm):
    """Red-flag screening and context (a cancer history, an accident), with the person's age: asked first.

    An age under 16 is accepted here so the view can send the person to the
    page saying where to go instead; above 110 or not a whole number is an error.
    """

    age = forms.IntegerField(
        label=_("How old are you?"),
        help_text=_("Optional. In whole years."),
        required=False,
        min_value=1,
        max_value=max(scoring.AGE_RANGE),
        error_messages={"invalid": AGE_MESSAGE, "min_value": AGE_MESSAGE, "max_value": AGE_MESSAGE},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "age-input"}),
    )

    def _layout(self, groups: dict[str, list[str]]) -> Layout:
        return Layout(Field("age"), *super()._layout(groups))

    def is_under_16(self) -> bool:
        age = self.cleaned_data.get("age")
        return age is not None and age < min(scoring.AGE_RANGE)


class SymptomsForm(YesNoQuestionsForm):
    """Where it hurts and how."""


class FeetForm(YesNoQuestionsForm):
    """Feet, gait and movement: the foot drivers and signs."""


INTENSITY_CHOICES = [(str(n), str(n)) for n in scoring.INTENSITY_RANGE]


def _zero_to_ten(label, help_text, required_message, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        required=required,
        empty_value=None,
        choices=INTENSITY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "intensity"}),
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class DurationForm(forms.Form):
    """How long the pain has lasted and how bad it is."""

    pain_duration = forms.ChoiceField(
        label=_("How long have you had this pain?"),
        choices=PainDuration.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how long you have had the pain.")},
    )
    # The three PEG questions (Krebs et al. 2009): pain, then how much it interferes.
    pain_intensity = _zero_to_ten(
        _("On average over the past week, how bad has your pain been?"),
        _("0 means no pain at all. 10 means the worst pain you can imagine."),
        _("Choose a number from 0 to 10 for how bad the pain is."),
    )
    enjoyment_interference = _zero_to_ten(
        _("Over the past week, how much has the pain got in the way of enjoying life?"),
        _("Optional. 0 means not at all. 10 means it has spoiled everything."),
        _("Choose a number from 0 to 10 for how much the pain spoils your enjoyment of life."),
        required=False,
    )
    activity_interference = _zero_to_ten(
        _("Over the past week, how much has the pain got in the way of your everyday activities?"),
        _("Optional. 0 means not at all. 10 means you could not do anything."),
        _("Choose a number from 0 to 10 for how much the pain gets in the way of what you do."),
        required=False,
    )

    @cached_property
    def helper(self) -> FormHelper:
        return _helper(
            Layout(
                Field("pain_duration"),
                InlineRadios("pain_intensity", template="triage/_intensity_field.html"),
                InlineRadios("enjoyment_interference", template="triage/_intensity_field.html"),
                InlineRadios("activity_interference", template="triage/_intensity_field.html"),
            )
        )


class ContactForm(forms.Form):
    """Optional: a preferred clinic, and contact details only with consent."""

    clinic = forms.TypedChoiceField(
        label=_("Which clinic would suit you best?"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Optional. You can change your mind when you book."),
    )
    contact_consent = forms.BooleanField(
        label=_("I would like the clinic to contact me about these answers"),
        required=False,
        help_text=_("Leave this unticked to stay anonymous. We only use your details to contact you about this."),
    )
    contact_name = contact_fields.name(required=False)
    contact_email = contact_fields.email()
    contact_phone = contact_fields.phone()

    def __init__(self, *args, clinics: Sequence[Clinic], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinic"].choices = [("", _("No preference"))] + [(str(c.pk), c.label) for c in clinics]

    @cached_property
    def helper(self) -> FormHelper:
        return _helper(
            Layout(
                Field("clinic"),
                Fieldset(
                    _("Would you like us to contact you?"),
                    Field("contact_consent"),
                    Field("contact_name"),
                    Field("contact_email"),
                    Field("contact_phone"),
                ),
            )
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        name = cleaned.get("contact_name") or ""
        # A detail that failed its own check still counts as given.
        reachable = contact_fields.reachable(self, email="contact_email", phone="contact_phone")
        given = bool(name) or "contact_name" in self.errors or reachable
        if cleaned.get("contact_consent"):
            if not name and "contact_name" not in self.errors:
                self.add_error("contact_name", forms.ValidationError(NAME_REQUIRED, code="name_required"))
            contact_fields.require_a_way_to_reach(self, email="contact_email", phone="contact_phone")
        elif given:
            self.add_error(
                "contact_consent",
                forms.ValidationError(
                    _("Tick this box if you want us to contact you, or clear your details to stay anonymous."),
                    code="consent_required",
                ),
            )
        return cleaned

    def contact(self) -> tuple[int | None, ContactDetails]:
        """The chosen clinic's id, and the contact details (empty without consent)."""
        if not self.cleaned_data.get("contact_consent"):
            return self.cleaned_data.get("clinic"), ContactDetails()
        data = self.cleaned_data
        return data.get("clinic"), ContactDetails(
            name=data["contact_name"], email=data["contact_email"], phone=data["contact_phone"]
        )
