"""The check-in's one page of questions: the PEG three, the change since, who they have seen, warning signs.

The warning signs are the questionnaire's own emergency and see-a-doctor-today
questions, passed in (no query here) and asked as one checklist with "None of
these" (triage.forms.ChecklistForm: ticks or "none", never both, never nothing).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from triage.forms import INTENSITY_CHOICES, NONE, ChecklistForm

from .models import GlobalChange, SeenProfessional
from .services import CheckInAnswers

NONE_LABEL = _("None of these")


def _zero_to_ten(label: str, message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=INTENSITY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


# The scale's two ends, in words, for each 0 to 10 question (shown before the numbers).
SCALE_ENDS = {
    "pain_intensity": (_("0 means no pain"), _("10 means the worst pain you can imagine")),
    "enjoyment_interference": (_("0 means not at all"), _("10 means it has spoiled everything")),
    "activity_interference": (_("0 means not at all"), _("10 means you could not do anything")),
}


class CheckInForm(ChecklistForm):
    """All five answers are needed: the PEG score is the mean of all three, and the change is the point."""

    pain_intensity = _zero_to_ten(
        _("Over the past week, how bad has your pain been on average?"),
        _("Choose a number from 0 to 10 for how bad the pain has been."),
    )
    enjoyment_interference = _zero_to_ten(
        _("Over the past week, how much has the pain got in the way of enjoying life?"),
        _("Choose a number from 0 to 10 for how much the pain has spoiled your enjoyment of life."),
    )
    activity_interference = _zero_to_ten(
        _("Over the past week, how much has the pain got in the way of your everyday activities?"),
        _("Choose a number from 0 to 10 for how much the pain has got in the way of what you do."),
    )
    global_change = forms.TypedChoiceField(
        label=_("Compared with when you did the self-check, how is the pain now?"),
        choices=GlobalChange.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the pain is now, from much better to much worse."),
            "invalid_choice": _("Choose how the pain is now, from much better to much worse."),
        },
    )
    seen_professional = forms.ChoiceField(
        label=_("Have you seen a health professional about it since?"),
        choices=SeenProfessional.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who you have seen about the pain, or “No one yet”."),
            "invalid_choice": _("Choose who you have seen about the pain, or “No one yet”."),
        },
    )

    def __init__(self, *args, questions, **kwargs) -> None:
        super().__init__(*args, questions=questions, none_label=NONE_LABEL, **kwargs)
        self.fields["ticked"].label = _("Do you have any of these now?")
        # Put the warning signs last, after the questions about how it is going.
        self.order_fields([name for name in self.fields if name != "ticked"] + ["ticked"])

    def options(self, name: str) -> list[dict]:
        """One radio question's answers as the template shows them."""
        field = self[name]
        value = field.value()
        return [
            {
                "id": f"{field.auto_id}_{index}",
                "value": str(choice),
                "label": text,
                "checked": str(value) == str(choice),
            }
            for index, (choice, text) in enumerate(self.fields[name].choices)
        ]

    def radio_questions(self) -> list[dict]:
        questions = []
        for name in (
            "pain_intensity",
            "enjoyment_interference",
            "activity_interference",
            "global_change",
            "seen_professional",
        ):
            field = self[name]
            low, high = SCALE_ENDS.get(name, ("", ""))
            questions.append(
                {"field": field, "options": self.options(name), "scale": name in SCALE_ENDS, "low": low, "high": high}
            )
        return questions

    def answers_get(self) -> CheckInAnswers:
        data = self.cleaned_data
        return CheckInAnswers(
            pain_intensity=data["pain_intensity"],
            enjoyment_interference=data["enjoyment_interference"],
            activity_interference=data["activity_interference"],
            global_change=data["global_change"],
            seen_professional=data["seen_professional"],
            red_flags=tuple(code for code in data["ticked"] if code != NONE),
        )
