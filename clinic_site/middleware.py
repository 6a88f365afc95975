"""Site-wide middleware: one log line per request, and the headers Django does not set itself."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
