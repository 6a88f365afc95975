from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Clinical review")

    def ready(self) -> None:
        from followups.signals import checkin_red_flag

        from .models import Outcome
        from .services import checkin_red_flag_receiver
        from .signals import outcome_history_conditions_delete

        checkin_red_flag.connect(checkin_red_flag_receiver, dispatch_uid="review.checkin_red_flag_reopen")

        post_delete.connect(
            outcome_history_conditions_delete, sender=Outcome, dispatch_uid="review_outcome_m2m_history"
        )
