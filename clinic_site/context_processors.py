from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext


def retention_in_words(days: int) -> str:
    """180 -> "180 days"; 3653 -> "10 years": how a person thinks about it."""
    if days < 365:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    years = round(days / 365.25)
    return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}


def privacy(request: HttpRequest) -> dict:
    """What the collection notice needs on any page: the officer's contact, the version and retention."""
    return {
        "privacy_officer": settings.TRIAGE_PRIVACY_OFFICER,
        "privacy_notice_version": settings.TRIAGE_PRIVACY_NOTICE_VERSION,
        "retention": {kind: retention_in_words(days) for kind, days in settings.TRIAGE_RETENTION_DAYS.items()},
    }
