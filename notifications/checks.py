"""Deployment checks for email (run by `manage.py check --deploy`, so by `make serve`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def email_settings_check(app_configs, **kwargs) -> list[Warning]:
    """Production needs somewhere to send email and an address for the links in it."""
    warnings = []
    if not getattr(settings, "EMAIL_URL", ""):
        warnings.append(
            Warning(
                "EMAIL_URL is not set: booking requests and red flags are emailed through an SMTP server on "
                "localhost:25, which may not exist.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587 (docs/operations.md).",
                id="notifications.W001",
            )
        )
    if not getattr(settings, "SITE_URL", ""):
        warnings.append(
            Warning(
                "SITE_URL is not set: the links to the admin in the clinic's emails have no host.",
                hint="Set SITE_URL to the site's public address, e.g. https://selfcheck.footfoundation.co.nz.",
                id="notifications.W002",
            )
        )
    return warnings
