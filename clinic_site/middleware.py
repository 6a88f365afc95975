"""Site-wide middleware: one log line per request, and the headers Django does not set itself."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader

from .logs import path_for_log

request_logger = logging.getLogger("clinic_site.request")


class RequestLogMiddleware:
    """Log method, path (tokens masked, no query string), status and duration: nothing else.

    Answers, names and contact details travel in POST bodies and are never
    read here. The request id is also sent back as ``X-Request-ID`` so a
    person reporting a problem can quote it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = secrets.token_hex(8)
        request.request_id = request_id
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        status = response.status_code
        response["X-Request-ID"] = request_id
        if status == 200 and request.path == "/healthz":
            return response  # a load balancer polls it every few seconds: only failures are news
        level = logging.ERROR if status >= 500 else logging.WARNING if status == 429 else logging.INFO
        path = path_for_log(request.path)
        request_logger.log(
            level,
            f"{request.method} {path} {status}",
            extra={
                "event": "request",
                "method": request.method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
                "request_id": request_id,
            },
        )
        return response


class SecurityHeadersMiddleware:
    """Permissions-Policy, and no caching of pages that may hold health information."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # Answers and results must not stay in a shared computer's browser
        # cache or a proxy; static files (served by WhiteNoise before this
        # runs) keep their own long-lived headers.
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


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
        return "The address contains a NUL character."
    for key, values in request.GET.lists():
        for value in values:
            if "\x00" in key or "\x00" in value:
                return "A search or filter value contains a NUL character."
            number = value.strip()
            if number.lstrip("+-").isdigit():
                for suffix, (low, high) in DATE_PART_RANGES.items():
                    if key.endswith(suffix) and not low <= int(number) <= high:
                        return f"The value of {key!r} must be between {low} and {high}."
                if abs(int(number)) > MAX_INTEGER:
                    return f"The value of {key!r} is too large a number."
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
