"""Form fields for contact details, checked by triage.contact's rules.

The questionnaire's contact step and the booking form build their name,
email and phone fields here, so both refuse the same values with the same
codes as the JSON API.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

from . import contact


class ContactField(forms.CharField):
    """A stripped text field whose only check is one of triage.contact's ``*_clean`` functions."""

    def __init__(self, label, check: Callable[[str], str], max_length: int, *, required=False, **kwargs) -> None:
        super().__init__(label=label, max_length=max_length, required=required, **kwargs)
        # The check covers length and null characters itself, with its own codes.
        self.validators = []
        self.check = check

    def clean(self, value):
        value = super().clean(value)
        return self.check(value) if value else value


def name(*, required: bool) -> ContactField:
    widget = forms.TextInput(attrs={"autocomplete": "name"})
    messages = {"required": contact.NAME_REQUIRED}
    return ContactField(
        _("Your name"),
        contact.contact_name_clean,
        contact.NAME_MAX_LENGTH,
        required=required,
        widget=widget,
        error_messages=messages,
    )


def email() -> ContactField:
    widget = forms.EmailInput(attrs={"autocomplete": "email"})
    return ContactField(_("Email"), contact.contact_email_clean, contact.EMAIL_MAX_LENGTH, widget=widget)


def phone() -> ContactField:
    widget = forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
    help_text = _("A mobile or landline number.")
    return ContactField(
        _("Phone"), contact.contact_phone_clean, contact.PHONE_MAX_LENGTH, widget=widget, help_text=help_text
    )


def reachable(form: forms.Form, *, email: str, phone: str) -> bool:
    """Whether the form was given an email or a phone; one that failed its own check still counts."""
    given = form.cleaned_data.get(email) or form.cleaned_data.get(phone)
    return bool(given or email in form.errors or phone in form.errors)


def require_a_way_to_reach(form: forms.Form, *, email: str, phone: str) -> None:
    """Add ``contact_required`` to the phone field unless an email or a phone was given."""
    if not reachable(form, email=email, phone=phone):
        form.add_error(phone, forms.ValidationError(contact.CONTACT_REQUIRED, code="contact_required"))
