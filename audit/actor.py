"""Who did something, and from where: the value services take instead of a request.

A service that writes health information records the change in the audit
trail itself, so it needs to know who acted; it should not need the whole
HttpRequest for that (nor should a management command have to fake one).
Views build an Actor from the request; scheduled jobs use ``SYSTEM``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the web server saw it (a proxy must set REMOTE_ADDR correctly)."""
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Actor:
    """A signed-in user (staff), or nobody: the patient (anonymous, from an IP) or the system."""

    user: Any = None  # an authenticated user, or None
    ip: str | None = None
    anonymous_label: str = "system"

    @property
    def label(self) -> str:
        """The name the audit trail keeps: the username at the time, or 'patient' / 'system'."""
        return self.user.get_username() if self.user is not None else self.anonymous_label

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        """The signed-in user, or the anonymous patient, with the IP the request came from."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return cls(user=user, ip=client_ip(request))
        return cls(ip=client_ip(request), anonymous_label="patient")


SYSTEM = Actor()
