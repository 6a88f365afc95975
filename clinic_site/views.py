"""Site-wide pages: the health check and the error pages.

Error pages say what happened in plain words and nothing more: no paths,
exception text or settings ever reach the person.
"""

from __future__ import annotations

import sys

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when the database answers, 503 when it does not. One tiny query.

    The cache is reported but does not fail the check: without it the site
    still works (rate limits fail open), so taking the site out would be worse.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down", "cache": _cache_state()}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "cache": _cache_state()})


def _cache_state() -> str:
    try:
        cache.get("healthz")
    except Exception:  # the backend's own connection error
        return "down"
    return "ok"


def _page(template: str, status: int, request: HttpRequest | None = None) -> HttpResponse:
    # No RequestContext for 500/503: the context processors might be what failed.
    return HttpResponse(loader.get_template(template).render({}, request), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the cause is the database being unreachable (it is retried on the next request)."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        response = _page("503.html", 503)
        response["Retry-After"] = "60"
        return response
    return _page("500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: most often a page left open until the session ended."""
    return render(request, "403_csrf.html", status=403)
