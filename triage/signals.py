"""What triage announces to the apps above it, which it must not import.

``submission_created(sender=Submission, submission=...)`` is sent once the new
submission is committed (never for a repeat that found the stored one), so a
receiver can read it and queue work without seeing a rolled-back row.
"""

from django.dispatch import Signal

submission_created = Signal()
