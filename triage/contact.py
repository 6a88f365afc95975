"""Contact details: the one set of rules for a name, an email address and a phone number.

The questionnaire's contact step, the booking form and the JSON API all check
contact details here, and the API publishes the same patterns and lengths in
its OpenAPI document, so the three ways in accept and refuse the same values.
Each refusal is a ``ValidationError`` with a ``code`` (the API reports it as is).

The patterns are written for both engines that read them: Python's ``re``
(here) and the JSON Schema validators of API clients. They use explicit ASCII
classes, never ``\\d`` or ``\\s`` (whose meaning differs between engines), and
are matched as a whole here (``$`` means the end of the string, as in JSON Schema).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 100
# RFC 5321's limit on a forward path; longer addresses cannot be delivered (and
# PostgreSQL's varchar(254) refuses them).
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 30

# The characters Python's str.strip() removes (none lies above U+3000): a name
# of only these is empty. Spelled as \uXXXX escapes, which every engine reads.
_WHITESPACE = "".join(f"\\u{n:04x}" for n in range(0x3001) if chr(n).isspace())
_NAME_CHAR = r"[^\x00]"  # a NUL cannot be stored in PostgreSQL text
NAME_PATTERN = rf"^{_NAME_CHAR}*[^\x00{_WHITESPACE}]{_NAME_CHAR}*$"
# Digits with optional spaces, dashes, brackets and a leading +; 7 to 15 digits.
PHONE_PATTERN = r"^\+?[ ()-]*(?:[0-9][ ()-]*){7,15}$"

_NAME_RE = re.compile(NAME_PATTERN[:-1] + r"\Z")
_PHONE_RE = re.compile(PHONE_PATTERN[:-1] + r"\Z")
_email_validator = EmailValidator(message=_("Enter an email address like name@example.com."), code="invalid")

NAME_REQUIRED = _("Tell us your name so we know who to ask for.")
CONTACT_REQUIRED = _("Give a phone number or an email address so the clinic can reach you.")


@dataclass(frozen=True)
class ContactDetails:
    """How to reach a person; all empty when they chose to stay anonymous."""

    name: str = ""
    email: str = ""
    phone: str = ""


def _too_long(value: str, limit: int) -> None:
    if len(value) > limit:
        raise ValidationError(
            _("Use at most %(limit)d characters (this has %(length)d).") % {"limit": limit, "length": len(value)},
            code="max_length",
        )


def contact_name_clean(value: str) -> str:
    """A name with surrounding spaces removed; refused if empty, too long or holding a NUL."""
    _too_long(value, NAME_MAX_LENGTH)
    if not _NAME_RE.match(value):
        if "\x00" in value:
            raise ValidationError(_("Remove the invalid character from your name."), code="invalid_name")
        raise ValidationError(NAME_REQUIRED, code="name_required")
    return value.strip()


def contact_email_clean(value: str) -> str:
    """An email address as given; refused if it is not one or is longer than 254 characters."""
    _too_long(value, EMAIL_MAX_LENGTH)
    _email_validator(value)
    return value


def contact_phone_clean(value: str) -> str:
    """A phone number with surrounding spaces removed; refused unless it is 7 to 15 digits
    (with spaces, dashes, brackets and a leading +)."""
    _too_long(value, PHONE_MAX_LENGTH)
    if not _PHONE_RE.match(value):
        raise ValidationError(_("Enter a phone number using digits, like 021 123 4567."), code="invalid_phone")
    return value.strip()


def contact_details_clean(*, name: str, email: str, phone: str) -> ContactDetails:
    """Check a whole set of details as the API receives them (the forms check field by field).

    Raises a ``ValidationError`` keyed by field name ("name", "email", "phone").
    """
    errors: dict[str, ValidationError] = {}
    cleaned = {}
    for field, value, clean in (
        ("name", name, contact_name_clean),
        ("email", email, contact_email_clean),
        ("phone", phone, contact_phone_clean),
    ):
        if field == "name" or value:
            try:
                cleaned[field] = clean(value)
            except ValidationError as error:
                errors[field] = error
    if not (email or phone):
        errors["phone"] = ValidationError(CONTACT_REQUIRED, code="contact_required")
    if errors:
        raise ValidationError(errors)
    return ContactDetails(**{"email": "", "phone": "", **cleaned})
