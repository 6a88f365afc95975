"""The API's guard against other sites' pages: JSON only, and no foreign ``Origin``.

A page on another site can make a browser send a "simple" cross-site POST (a
form, or fetch with ``text/plain``) without asking first; the browser asks
(a CORS preflight, which this API never grants) before sending
``application/json``. So a POST is read only when it is declared JSON, and
one a browser says comes from another site's page is refused outright.
Checked before the body is parsed, so the refusal says exactly why.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


def origin_allowed(request: HttpRequest) -> bool:
    """True without an ``Origin`` (a server or a kiosk calling), or when it is this site's own."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS


def _refusal(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": [], "error_count": 0}, status=status)


def refuse_cross_site(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an API view: 403 for a foreign ``Origin``, 415 for a POST body that is not JSON."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            if not origin_allowed(request):
                return _refusal(403, "Requests from another site's pages are not accepted.")
            if request.content_type != "application/json":
                return _refusal(415, "Send the body as JSON, with the header Content-Type: application/json.")
        return view(request, *args, **kwargs)

    return guarded
