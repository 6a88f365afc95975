"""Check the audit trail's hash chain.

python manage.py audit_verify    # "OK, N events", or exit 1 naming the first broken event
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit 1 at the first broken event."

    def handle(self, *args, **options) -> None:
        report = audit_chain_verify()
        if not report.ok:
            where = f"event {report.broken_at}" if report.broken_at is not None else "the end of the trail"
            raise CommandError(
                f"Audit chain broken at {where}: {report.problem} ({report.count} events verified before it)."
            )
        self.stdout.write(f"OK, {report.count} events")
