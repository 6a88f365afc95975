"""Staff sign-in lockout (django-axes)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, for sign-ins that come with a request.

    Axes refuses ``authenticate()`` calls without a request (``Client.login()``
    in tests, a shell). Those are not reachable from the web, so there is
    nothing to count or lock: let the next backend decide.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
