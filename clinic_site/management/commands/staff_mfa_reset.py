"""``manage.py staff_mfa_reset <username>``: remove a person's sign-in code devices (a lost phone)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audit.actor import SYSTEM
from clinic_site.mfa import staff_devices_for, staff_devices_remove


class Command(BaseCommand):
    help = (
        "Remove a staff member's authenticator app and recovery codes, after checking who is asking. "
        "At their next sign-in they set up a new app and get new recovery codes. Audited."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="The staff member's user name, as they sign in with it.")

    def handle(self, *args, username: str, **options) -> None:
        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user named {username!r}: nothing was changed.", returncode=2)
        devices = staff_devices_for(user=user)
        if not devices:
            self.stdout.write(f"{username} has no sign-in code devices: nothing to remove.")
            return
        staff_devices_remove(devices=devices, actor=SYSTEM, via="manage.py staff_mfa_reset")
        apps = sum(1 for device in devices if device._meta.model_name == "totpdevice")
        self.stdout.write(
            f"Removed {username}'s sign-in code devices: {apps} authenticator app{'s' if apps != 1 else ''} "
            f"and {len(devices) - apps} set{'s' if len(devices) - apps != 1 else ''} of recovery codes. "
            "At their next sign-in they will set up a new app and get new recovery codes."
        )
