"""Email the follow-up check-ins that are due, once: what beat's daily `followups.send_due` does."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from followups.services import followups_send_due


class Command(BaseCommand):
    help = (
        "Close check-ins whose link has expired and email the 6- and 12-week check-ins now due. "
        "Idempotent: a check-in is emailed at most once, however often this runs (cron, or by hand after an outage)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be done; change and send nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        counts = followups_send_due(dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"Dry run: {counts.due} check-in(s) due to be emailed, {counts.expired} to close (expired)."
            )
            return
        self.stdout.write(
            f"{counts.emailed} check-in(s) emailed, {counts.already} already emailed, {counts.failed} not queued "
            f"(tried again next run), {counts.expired} closed (expired); {counts.due} were due."
        )
