"""The links in a check-in email: signed, so they cannot be made up or altered.

The check-in link carries (check-in id, nonce), signed with the site's secret
under its own salt and a timestamp: it stops working 14 days after it was
made (``LINK_MAX_AGE``), and once the check-in is answered (the nonce is then
cleared, so the pair no longer matches). The unsubscribe link carries only
the check-in id under another salt, never expires and needs no sign-in: it
lets its holder do nothing but stop the emails.

A link that does not verify, for whatever reason, gives None: the pages then
say the same thing for a tampered link, a made-up one and someone else's. One
whose signature is ours but older than 14 days gives EXPIRED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

LINK_MAX_AGE = timedelta(days=14)
CHECKIN_SALT = "followups.checkin"
EXPIRED = "expired"
UNSUBSCRIBE_SALT = "followups.unsubscribe"


@dataclass(frozen=True)
class CheckInKey:
    """What a verified check-in link names: the check-in and the nonce it was sent with."""

    checkin_id: int
    nonce: str


def checkin_link_sign(*, checkin_id: int, nonce: str) -> str:
    return signing.dumps([checkin_id, nonce], salt=CHECKIN_SALT)


def checkin_link_read(signed: str, *, max_age: timedelta = LINK_MAX_AGE) -> CheckInKey | str | None:
    """The check-in a link names; EXPIRED when it is older than ``max_age``; None when tampered with or malformed."""
    try:
        value = signing.loads(signed, salt=CHECKIN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return EXPIRED
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        return None
    return CheckInKey(checkin_id=value[0], nonce=value[1])


def unsubscribe_link_sign(*, checkin_id: int) -> str:
    return signing.dumps(checkin_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_link_read(signed: str) -> int | None:
    """The check-in id an unsubscribe link names, or None when it does not verify."""
    try:
        value = signing.loads(signed, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
