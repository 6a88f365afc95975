"""Reading a check-in link: which check-in it opens, and whether it still can.

Four outcomes, and no more is said: OPEN (answer it), ANSWERED (thank you,
done already), CLOSED (past its 14 days, or unsubscribed), BAD (tampered
with, made up, someone else's nonce, deleted with its submission). A link
is only ANSWERED or CLOSED when its signature is ours, so a made-up link
learns nothing from which page it gets.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from .models import CheckIn, CheckInStatus
from .tokens import EXPIRED, checkin_link_read


class LinkState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"
    BAD = "bad"


@dataclass(frozen=True)
class Link:
    state: LinkState
    checkin: CheckIn | None = None
    nonce: str = ""


def checkin_by_link(signed: str) -> Link:
    """The check-in a link opens (with the submission and its clinic, in one query) and its state."""
    key = checkin_link_read(signed)
    if key is EXPIRED:
        return Link(LinkState.CLOSED)
    if key is None:
        return Link(LinkState.BAD)
    checkin = CheckIn.objects.select_related("submission", "submission__clinic").filter(pk=key.checkin_id).first()
    if checkin is None:
        return Link(LinkState.BAD)
    if checkin.status == CheckInStatus.ANSWERED:
        return Link(LinkState.ANSWERED)
    if checkin.status in (CheckInStatus.EXPIRED, CheckInStatus.UNSUBSCRIBED):
        return Link(LinkState.CLOSED)
    if not checkin.nonce or not secrets.compare_digest(checkin.nonce, key.nonce):
        return Link(LinkState.BAD)
    if checkin.expires_at is None or checkin.expires_at <= timezone.now():
        return Link(LinkState.CLOSED)
    return Link(LinkState.OPEN, checkin=checkin, nonce=key.nonce)
