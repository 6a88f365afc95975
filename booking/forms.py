"""The booking request form: built from the clinics passed in, never queries."""

from __future__ import annotations

from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from triage import contact_fields
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
    name = contact_fields.name(required=True)
    phone = contact_fields.phone()
    email = contact_fields.email()
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
        self.fields["clinic"].choices = [(str(clinic.pk), clinic.label) for clinic in clinics]
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

    def clean(self) -> dict:
        cleaned = super().clean()
        contact_fields.require_a_way_to_reach(self, email="email", phone="phone")
        return cleaned
