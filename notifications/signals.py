"""What the notification log announces to the apps above it (which it may not import).

``notification_failed`` is sent once an email has failed for good (a refused
recipient, or every retry used up), with the row as ``notification``: the
followups app marks the check-in it carried as bounced.
"""

from __future__ import annotations

from django.dispatch import Signal

notification_failed = Signal()
