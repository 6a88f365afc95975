"""Deployment checks for what the privacy notice promises (run by `manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def privacy_officer_contact_check(app_configs, **kwargs) -> list[Warning]:
    """The collection notice must say how to reach the privacy officer (HIPC 2020 rule 3)."""
    officer = getattr(settings, "TRIAGE_PRIVACY_OFFICER", {}) or {}
    if officer.get("email") or officer.get("phone"):
        return []
    return [
        Warning(
            "The privacy notice has no contact for the privacy officer.",
            hint="Set PRIVACY_OFFICER_EMAIL (and/or PRIVACY_OFFICER_PHONE) in the environment.",
            id="triage.W001",
        )
    ]
