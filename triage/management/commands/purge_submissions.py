"""Delete submissions kept longer than the retention periods in settings.

    python manage.py purge_submissions --dry-run   # counts only, changes nothing
    python manage.py purge_submissions             # deletes, writes one audit record

Anonymous submissions are kept TRIAGE_RETENTION_DAYS["anonymous"] days; those
where the person asked to be contacted (clinical follow-up) are kept
TRIAGE_RETENTION_DAYS["follow_up"] days. The audit trail's IP addresses are
cleared after AUDIT_IP_RETENTION_DAYS days. Meant to run daily from cron
(docs/operations.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_ips_clear
from triage import services


class Command(BaseCommand):
    help = "Delete submissions older than their retention period (TRIAGE_RETENTION_DAYS)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print what would be deleted; delete nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        retention = settings.TRIAGE_RETENTION_DAYS
        for kind in ("anonymous", "follow_up"):
            days = retention.get(kind)
            if not isinstance(days, int) or days < 1:
                raise CommandError(f'TRIAGE_RETENTION_DAYS["{kind}"] must be a whole number of days, at least 1.')
        counts = services.submissions_purge(retention_days=retention, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {counts.total} submission(s): {counts.anonymous} anonymous older than "
            f"{retention['anonymous']} days, {counts.follow_up} with follow-up older than "
            f"{retention['follow_up']} days."
        )
        ip_days = settings.AUDIT_IP_RETENTION_DAYS
        if not dry_run:
            cleared = audit_ips_clear(older_than_days=ip_days)
            services.database_checkpoint()
            self.stdout.write(f"Cleared the IP address of {cleared} audit event(s) older than {ip_days} days.")
