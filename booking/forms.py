"""The booking request form: built from the clinics passed in, never queries."""

from __future__ import annotations

from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from triage.forms import phone_clean
from triage.models import Clinic

from .models import TimeOfDay, Weekday


class BookingRequestForm(forms.Form):
    clinic = forms.TypedChoiceField(
        label=_("Which clinic would you like to go to?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the clinic you would like to go to.")},
    )
    preferred_days = forms.MultipleChoiceField(
        label=_("Which days could you come in?"),
        help_text=_("Tick all that suit you."),
        choices=Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one day that suits you.")},
    )
    preferred_times = forms.MultipleChoiceField(
        label=_("What times of day suit you?"),
        help_text=_("Tick all that suit you."),
        choices=TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one time of day that suits you.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        error_messages={"required": _("Tell us your name so we know who to ask for.")},
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, help_text=_("A mobile or landline number.")
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
    )
    notes = forms.CharField(
        label=_("Anything else the clinic should know?"),
        help_text=_("Optional. For example, times you cannot do, or if you need help getting in."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree that the clinic can use these details to contact me about this appointment"),
        error_messages={"required": _("Tick this box so the clinic is allowed to contact you.")},
    )

    def __init__(self, *args, clinics: Sequence[Clinic], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clinics = {clinic.pk: clinic for clinic in clinics}
        self.fields["clinic"].choices = [
            (str(clinic.pk), f"{clinic.name} ({clinic.region})" if clinic.region else clinic.name) for clinic in clinics
        ]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("clinic"),
            Fieldset(_("When could you come in?"), Field("preferred_days"), Field("preferred_times")),
            Fieldset(
                _("How can the clinic reach you?"),
                Field("name"),
                Field("phone"),
                Field("email"),
                Field("notes"),
                Field("consent"),
            ),
        )

    def clean_clinic(self) -> Clinic:
        clinic = self.clinics.get(self.cleaned_data["clinic"])
        if clinic is None:
            raise forms.ValidationError(_("Choose one of the clinics in the list."), code="invalid_clinic")
        return clinic

    def clean_phone(self) -> str:
        return phone_clean(self.cleaned_data["phone"])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Tell us your name so we know who to ask for."), code="required")
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        given = cleaned.get("phone") or cleaned.get("email") or "phone" in self.errors or "email" in self.errors
        if not given:
            self.add_error(
                "phone",
                forms.ValidationError(
                    _("Give a phone number or an email address so the clinic can reach you."),
                    code="contact_required",
                ),
            )
        return cleaned
