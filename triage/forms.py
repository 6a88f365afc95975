"""The questionnaire's screen forms.

Forms are built from the questions (and clinics) passed in: none of them
queries the database, so a screen costs the same whatever the content. Each
answer control carries its question's code: in its ``name`` for a yes/no
question (``<screen>-<code>``), in its ``value`` for a checklist item.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from . import contact_fields, scoring
from .contact import NAME_REQUIRED, ContactDetails
from .models import Clinic, PainDuration

YES, NO = "yes", "no"
YES_NO_CHOICES = [(YES, _("Yes")), (NO, _("No"))]
# The checklist's own "none of these" choice: never a question code (codes are slugs with underscores).
NONE = "none"


class QuestionsForm(forms.Form):
    """A screen that asks questions from the ruleset: its answers keyed by question code."""

    questions: tuple[scoring.Question, ...]

    def answers(self) -> dict[str, bool]:
        raise NotImplementedError

    def yes_codes(self) -> list[str]:
        return [code for code, value in self.answers().items() if value]


class ChecklistForm(QuestionsForm):
    """One question, "which of these apply?": tick the items, or "none of these".

    Every item is a yes/no question of the ruleset: ticked is yes, left
    unticked (with something else ticked, or "none") is no. The person has to
    choose: ticks or "none", never both, never nothing.
    """

    def __init__(self, *args, questions: Sequence[scoring.Question], none_label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = tuple(questions)
        self.none_label = none_label
        self.fields["ticked"] = forms.MultipleChoiceField(
            choices=[(q.code, q.summary) for q in self.questions] + [(NONE, none_label)],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Tick each one that applies, or tick “%(none)s”.") % {"none": none_label},
                "invalid_choice": _("That answer is not on this page. Tick the ones that apply."),
            },
        )

    def clean_ticked(self) -> list[str]:
        ticked = self.cleaned_data["ticked"]
        if NONE in ticked and len(ticked) > 1:
            raise forms.ValidationError(
                _("You ticked “%(none)s” and something else. Untick one of them.") % {"none": self.none_label},
                code="none_and_tick",
            )
        return ticked

    def answers(self) -> dict[str, bool]:
        ticked = set(self.cleaned_data["ticked"])
        return {q.code: q.code in ticked for q in self.questions}

    def why_we_ask(self) -> list[tuple[str, str]]:
        """Each item's "why we ask", for the one expandable note above the checklist."""
        return [(q.summary, q.why_we_ask) for q in self.questions if q.why_we_ask]

    def items(self) -> list[dict]:
        """The checklist as the template shows it: each question, then "none"."""
        field = self["ticked"]
        ticked = set(field.value() or ())
        items = [
            {"id": f"{field.auto_id}_{index}", "value": q.code, "label": q.summary, "hint": q.help_text}
            for index, q in enumerate(self.questions)
        ]
        items.append({"id": f"{field.auto_id}_none", "value": NONE, "label": self.none_label, "hint": ""})
        for item in items:
            item["checked"] = item["value"] in ticked
        return items


class YesNoForm(QuestionsForm):
    """One required yes/no question per ``scoring.Question`` passed in."""

    def __init__(self, *args, questions: Sequence[scoring.Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = tuple(questions)
        for question in self.questions:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=YES_NO_CHOICES,
                widget=forms.RadioSelect,
                # Names the question in a few words, so the error summary's links tell them apart.
                error_messages={
                    "required": _("Choose yes or no: %(question)s") % {"question": question.summary.lower()},
                    "invalid_choice": _("Choose yes or no: %(question)s") % {"question": question.summary.lower()},
                },
            )

    def answers(self) -> dict[str, bool]:
        return {q.code: self.cleaned_data[q.code] == YES for q in self.questions}

    def items(self) -> list[dict]:
        """Each question with its two answers, as the template shows them."""
        items = []
        for question in self.questions:
            field = self[question.code]
            value = field.value()
            items.append(
                {
                    "code": question.code,
                    "id": field.auto_id,
                    "name": field.html_name,
                    "label": question.text,
                    "hint": question.help_text,
                    "why_we_ask": question.why_we_ask,
                    # Under its own question the short form is enough; the error summary names the question.
                    "errors": [_("Choose yes or no.")] if field.errors else [],
                    "options": [
                        {"id": f"{field.auto_id}_{index}", "value": choice, "label": text, "checked": value == choice}
                        for index, (choice, text) in enumerate(YES_NO_CHOICES)
                    ],
                }
            )
        return items


AGE_MESSAGE = _("Enter your age in whole years, from 16 to 110, or leave it empty.")


class AboutYouForm(YesNoForm):
    """The person's age (optional), then the context questions (a cancer history, an accident).

    An age under 16 is accepted here so the view can send the person to the
    page saying where to go instead; above 110 or not a whole number is an error.
    """

    # A class attribute, so the FHIR Questionnaire reads its label from here too.
    age = forms.IntegerField(
        label=_("How old are you?"),
        help_text=_("Optional. In whole years."),
        required=False,
        min_value=1,
        max_value=max(scoring.AGE_RANGE),
        error_messages={"invalid": AGE_MESSAGE, "min_value": AGE_MESSAGE, "max_value": AGE_MESSAGE},
    )

    def is_under_16(self) -> bool:
        age = self.cleaned_data.get("age")
        return age is not None and age < min(scoring.AGE_RANGE)


class OneChoiceForm(forms.Form):
    """A screen with one question answered by one choice from a list (radio buttons)."""

    field_name: str

    def choice_field(self) -> forms.BoundField:
        return self[self.field_name]

    def options(self) -> list[dict]:
        field = self.choice_field()
        value = field.value()
        return [
            {
                "id": f"{field.auto_id}_{index}",
                "value": str(choice),
                "label": text,
                "checked": str(value) == str(choice),
            }
            for index, (choice, text) in enumerate(self.option_labels())
        ]

    def option_labels(self) -> list[tuple[str, str]]:
        return list(self.fields[self.field_name].choices)


class DurationForm(OneChoiceForm):
    """How long the pain has lasted."""

    field_name = "pain_duration"
    pain_duration = forms.ChoiceField(
        label=_("How long have you had this pain?"),
        choices=PainDuration.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how long you have had the pain."),
            "invalid_choice": _("Choose how long you have had the pain."),
        },
    )


INTENSITY_CHOICES = [(str(n), str(n)) for n in scoring.INTENSITY_RANGE]


def _zero_to_ten(label, help_text, required_message, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        required=required,
        empty_value=None,
        choices=INTENSITY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class ZeroToTenForm(OneChoiceForm):
    """One 0 to 10 question, its two ends labelled in words on the answers themselves."""

    ends: dict[str, str]

    def option_labels(self) -> list[tuple[str, str]]:
        return [(value, self.ends.get(value, label)) for value, label in INTENSITY_CHOICES]


# The three PEG questions (Krebs et al. 2009): pain, then how much it interferes; one a screen.
class IntensityForm(ZeroToTenForm):
    field_name = "pain_intensity"
    ends = {"0": _("0: no pain"), "10": _("10: the worst pain you can imagine")}
    pain_intensity = _zero_to_ten(
        _("On average over the past week, how bad has your pain been?"),
        _("0 means no pain at all. 10 means the worst pain you can imagine."),
        _("Choose a number from 0 to 10 for how bad the pain is."),
    )


class EnjoymentForm(ZeroToTenForm):
    field_name = "enjoyment_interference"
    ends = {"0": _("0: not at all"), "10": _("10: it has spoiled everything")}
    enjoyment_interference = _zero_to_ten(
        _("Over the past week, how much has the pain got in the way of enjoying life?"),
        _("Optional. 0 means not at all. 10 means it has spoiled everything."),
        _("Choose a number from 0 to 10 for how much the pain spoils your enjoyment of life."),
        required=False,
    )


class ActivityForm(ZeroToTenForm):
    field_name = "activity_interference"
    ends = {"0": _("0: not at all"), "10": _("10: I could not do anything")}
    activity_interference = _zero_to_ten(
        _("Over the past week, how much has the pain got in the way of your everyday activities?"),
        _("Optional. 0 means not at all. 10 means you could not do anything."),
        _("Choose a number from 0 to 10 for how much the pain gets in the way of what you do."),
        required=False,
    )


class ContactForm(forms.Form):
    """Optional: a preferred clinic, and contact details only with consent."""

    clinic = forms.TypedChoiceField(
        label=_("Which clinic would suit you best?"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Optional. You can change it when you book."),
        error_messages={"invalid_choice": _("Choose a clinic from the list, or “No preference”.")},
    )
    contact_consent = forms.BooleanField(
        label=_("I would like the clinic to contact me about these answers"),
        required=False,
        help_text=_("We only use your details to contact you about these answers."),
    )
    contact_name = contact_fields.name(required=False)
    contact_email = contact_fields.email()
    contact_phone = contact_fields.phone()
    # Separate from being contacted, and unticked unless the person ticks it (the followups app).
    followup_consent = forms.BooleanField(
        label=_("May we check how you are getting on in 6 and 12 weeks?"),
        required=False,
        help_text=_("Two short emails; stop them any time."),
    )

    def __init__(self, *args, clinics: Sequence[Clinic], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinic"].choices = [("", _("No preference"))] + [(str(c.pk), c.label) for c in clinics]

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
        if cleaned.get("followup_consent"):
            self._clean_followup(cleaned)
        return cleaned

    def _clean_followup(self, cleaned: dict) -> None:
        """Check-ins are emailed, so they need an email address and the consent to be contacted."""
        if not cleaned.get("contact_email") and "contact_email" not in self.errors:
            self.add_error(
                "contact_email",
                forms.ValidationError(
                    _("Give your email address so we can send the check-ins, or untick the check-in box."),
                    code="followup_needs_email",
                ),
            )
        if not cleaned.get("contact_consent") and "contact_consent" not in self.errors:
            self.add_error(
                "contact_consent",
                forms.ValidationError(
                    _("To get check-ins, tick this box too so we may keep your email, or untick the check-in box."),
                    code="followup_needs_consent",
                ),
            )

    def followup(self) -> bool:
        """Whether the person asked for the 6- and 12-week check-ins (only ever with consent and an email)."""
        data = self.cleaned_data
        return bool(data.get("followup_consent") and data.get("contact_consent") and data.get("contact_email"))

    def contact(self) -> tuple[int | None, ContactDetails]:
        """The chosen clinic's id, and the contact details (empty without consent)."""
        if not self.cleaned_data.get("contact_consent"):
            return self.cleaned_data.get("clinic"), ContactDetails()
        data = self.cleaned_data
        return data.get("clinic"), ContactDetails(
            name=data["contact_name"], email=data["contact_email"], phone=data["contact_phone"]
        )
