"""Short words for the call list's cells, where every pixel of width counts."""

from __future__ import annotations

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

# The badge's words in the queue; the full wording is its title (tooltip).
DISPOSITION_SHORT = {
    "emergency": "Emergency",
    "see_doctor_today": "Doctor today",
    "see_gp_soon": "GP soon",
    "book_assessment": "Assessment",
    "self_care": "Self-care",
}


def relative_time(*, when: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """How long ago, in the fewest words: "just now", "12 min ago", "2 h ago", "3 d ago", then the date."""
    now = now or timezone.now()
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        return _("%(n)d min ago") % {"n": seconds // 60}
    if seconds < 86400:
        return _("%(n)d h ago") % {"n": seconds // 3600}
    if seconds < 14 * 86400:
        return _("%(n)d d ago") % {"n": seconds // 86400}
    local = timezone.localtime(when)
    fmt = "j M" if local.year == timezone.localtime(now).year else "j M Y"
    return formats.date_format(local, fmt)
