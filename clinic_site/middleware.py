"""Site-wide middleware: one log line per request, and the headers Django does not set itself."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.utils.http import urlencode

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


def request_body_limit(path: str) -> int | None:
    """The largest body, in bytes, accepted for ``path`` (settings.REQUEST_BODY_LIMITS, first prefix that matches)."""
    for prefix, limit in settings.REQUEST_BODY_LIMITS:
        if path.startswith(prefix):
            return limit
    return None


class RequestBodyLimitMiddleware:
    """Answer a body larger than its path allows with a 413, before anything reads it.

    Patient pages take a few kilobytes at most (docs/operations.md gives the
    figures), so a megabyte POST there is never honest: it is refused from its
    Content-Length alone, before a session is loaded or a byte is parsed. A
    body sent without a Content-Length is not read by Django at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = request_body_limit(request.path_info)
        if limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0  # Django reads no body then either
            if length > limit:
                return request_too_large(request, limit=limit)
        return self.get_response(request)


def request_too_large(request: HttpRequest, *, limit: int) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "detail": f"The request body is too large: at most {limit} bytes are accepted.",
                "errors": [{"field": "", "message": f"At most {limit} bytes.", "code": "body_too_large"}],
            },
            status=413,
        )
    else:
        # No request context: nothing of the refused request (or its session) is needed to say so.
        response = HttpResponse(loader.get_template("413.html").render({}), status=413)
    return response


class StaffMFAMiddleware:
    """With settings.REQUIRE_STAFF_MFA on, a staff member gets nothing until their second factor is verified.

    After the password, every request (the admin, the FHIR and API staff
    endpoints) is sent to enter a code, or to set up an authenticator app
    when the account has none yet (clinic_site/mfa.py). Runs after django-otp's
    OTPMiddleware, which tells whether this session's sign-in was verified.
    """

    EXEMPT_NAMES = ("mfa_verify", "mfa_setup", "admin:logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_STAFF_MFA
            and user.is_authenticated
            and user.is_staff
            and not user.is_verified()
            and request.path_info not in {reverse(name) for name in self.EXEMPT_NAMES}
        ):
            if request.path_info.startswith(("/api/", "/fhir/")):
                return JsonResponse(
                    {"detail": "Enter your sign-in code first.", "errors": [], "code": "second_factor_required"},
                    status=403,
                )
            return redirect(f"{reverse('mfa_verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
