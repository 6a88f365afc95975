from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # triage announces new submissions without knowing who listens (it
        # sits below this app); the red-flag email is sent from here.
        from triage.signals import submission_created

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .events import submission_created_receiver

        submission_created.connect(submission_created_receiver, dispatch_uid="notifications.red_flag")
