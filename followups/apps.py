from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-up check-ins")

    def ready(self) -> None:
        # The notification sender sits below this app: it is told how to finish a
        # check-in email (the one-time link goes in only as it is sent) and
        # announces emails that failed for good (the check-in then bounced).
        from notifications.models import NotificationKind
        from notifications.services import notification_finisher_register
        from notifications.signals import notification_failed

        from .emails import checkin_email_outgoing
        from .services import checkin_email_failed_receiver

        notification_finisher_register(kind=NotificationKind.FOLLOWUP_PATIENT, finisher=checkin_email_outgoing)
        notification_failed.connect(checkin_email_failed_receiver, dispatch_uid="followups.bounced")
