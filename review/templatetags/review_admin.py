"""A date drill-down for the triage queue that costs no queries.

Django's own date hierarchy asks the database which years, months and days
have submissions (two queries over the whole table, with a per-row time zone
conversion on SQLite). The queue instead offers the calendar itself, from the
current day back: the filtering (a range on the indexed created_at) is still
Django's.
"""

from __future__ import annotations

import calendar
import datetime

from django import template
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()

YEARS_SHOWN = 5


@register.inclusion_tag("admin/date_hierarchy.html")
def queue_date_hierarchy(cl) -> dict:
    field = cl.date_hierarchy
    year_field, month_field, day_field = f"{field}__year", f"{field}__month", f"{field}__day"
    today = timezone.localdate()

    def link(filters: dict) -> str:
        return cl.get_query_string(filters, [f"{field}__"])

    def as_int(name: str) -> int | None:
        value = cl.params.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    year, month, day = as_int(year_field), as_int(month_field), as_int(day_field)
    try:
        if year and month and day:
            chosen = datetime.date(year, month, day)
            return {
                "show": True,
                "back": {
                    "link": link({year_field: year, month_field: month}),
                    "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT")),
                },
                "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
            }
        if year and month:
            last = calendar.monthrange(year, month)[1]
            if (year, month) == (today.year, today.month):
                last = today.day
            return {
                "show": True,
                "back": {"link": link({year_field: year}), "title": str(year)},
                "choices": [
                    {
                        "link": link({year_field: year, month_field: month, day_field: d}),
                        "title": capfirst(formats.date_format(datetime.date(year, month, d), "MONTH_DAY_FORMAT")),
                    }
                    for d in range(last, 0, -1)
                ],
            }
        if year:
            last_month = today.month if year == today.year else 12
            return {
                "show": True,
                "back": {"link": link({}), "title": _("All dates")},
                "choices": [
                    {
                        "link": link({year_field: year, month_field: m}),
                        "title": capfirst(formats.date_format(datetime.date(year, m, 1), "YEAR_MONTH_FORMAT")),
                    }
                    for m in range(last_month, 0, -1)
                ],
            }
    except ValueError:
        pass  # an impossible date in the URL: offer the years again
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": link({year_field: str(y)}), "title": str(y)}
            for y in range(today.year, today.year - YEARS_SHOWN, -1)
        ],
    }
