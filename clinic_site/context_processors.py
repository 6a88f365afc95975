from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def privacy(request: HttpRequest) -> dict:
    """What the collection notice needs on any page: the officer's contact, the version and retention."""
    return {
        "privacy_officer": settings.TRIAGE_PRIVACY_OFFICER,
        "privacy_notice_version": settings.TRIAGE_PRIVACY_NOTICE_VERSION,
        "retention_days": settings.TRIAGE_RETENTION_DAYS,
    }
