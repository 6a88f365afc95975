"""Bad filter values get a 400 before they reach the database, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

# The largest integer every database column here can hold (a signed 64-bit bigint).
MAX_INTEGER = 2**63 - 1
# Date-part lookups the admin's date filters send, and the values a date can have.
DATE_PART_RANGES = {"__year": (1, 9999), "__month": (1, 12), "__day": (1, 31), "__week": (1, 53)}


def query_problem(request: HttpRequest) -> str | None:
    """Why the path or query string cannot be used to filter anything, or None when it can.

    NUL bytes (PostgreSQL refuses them in text) and numbers beyond what a
    column or a date can hold reach the database as an error, not as "no
    match": turn them away here, once for every view, with a 400.
    """
    if "\x00" in request.path:
        return _("The address contains a NUL character.")
    for key, values in request.GET.lists():
        for value in values:
            if "\x00" in key or "\x00" in value:
                return _("A search or filter value contains a NUL character.")
            number = value.strip()
            if number.lstrip("+-").isdigit():
                for suffix, (low, high) in DATE_PART_RANGES.items():
                    if key.endswith(suffix) and not low <= int(number) <= high:
                        return _("The value of %(key)s must be between %(low)d and %(high)d.") % {
                            "key": repr(key),
                            "low": low,
                            "high": high,
                        }
                if abs(int(number)) > MAX_INTEGER:
                    return _("The value of %(key)s is too large a number.") % {"key": repr(key)}
    return None


class BadQueryMiddleware:
    """Refuse a request whose path or filters the database could not take: 400, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = query_problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path.startswith("/fhir/"):
            from interop.http import operation_outcome

            return operation_outcome(status=400, code="invalid", diagnostics=problem)
        return HttpResponse(loader.get_template("400.html").render({"problem": problem}, request), status=400)
