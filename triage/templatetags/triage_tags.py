"""Small template filters for the patient's pages."""

from __future__ import annotations

from django import template
from django.utils.translation import to_locale

register = template.Library()


@register.filter
def bcp47(language_code: str) -> str:
    """Django's language code as the BCP 47 tag ``<html lang>`` wants: "en-nz" -> "en-NZ"."""
    return to_locale(language_code or "").replace("_", "-")
