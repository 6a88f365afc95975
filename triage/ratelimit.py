"""A small fixed-window rate limit on the shared cache.

With REDIS_URL set the cache is Redis, shared by every gunicorn worker; the
local-memory fallback (make run, tests) counts per process.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from audit.actor import client_ip

logger = logging.getLogger(__name__)


def rate_limit_exceeded(*, request: HttpRequest, scope: str, limit: int, window: int) -> bool:
    """Count this request against ``scope`` for its client IP; True once over ``limit`` per ``window`` seconds."""
    key = f"rl:{scope}:{client_ip(request) or 'unknown'}"
    try:
        # add() is atomic: it only sets the key (with its expiry) when it is missing.
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception as error:  # the cache server is down: the backend's own error type
        # Fail open: a patient must never be turned away because Redis is
        # down. The database still answers, and the outage is logged.
        logger.warning(
            "rate limit not applied: cache unavailable (%s)", type(error).__name__, extra={"event": "cache_down"}
        )
        return False
    return count > limit


def submission_rate_limited(request: HttpRequest) -> bool:
    """Questionnaire (and API) submissions per client IP, limits from settings."""
    limit, window = settings.TRIAGE_SUBMISSION_RATE_LIMIT
    return rate_limit_exceeded(request=request, scope="submission", limit=limit, window=window)


def step_post_rate_limited(request: HttpRequest) -> bool:
    """Questionnaire step POSTs per client IP (every step, not just the last)."""
    limit, window = settings.TRIAGE_STEP_RATE_LIMIT
    return rate_limit_exceeded(request=request, scope="wizard_step", limit=limit, window=window)


def new_session_rate_limited(request: HttpRequest) -> bool:
    """Questionnaire sessions started per client IP: each one is a new row in the session table."""
    limit, window = settings.TRIAGE_NEW_SESSION_RATE_LIMIT
    return rate_limit_exceeded(request=request, scope="wizard_session", limit=limit, window=window)
