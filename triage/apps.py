from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = _("Hip and back self-check")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import (
            checks,  # noqa: F401  (registers the deployment checks)
            selectors,
        )
        from .models import Clinic

        # The clinic list is kept for a second (selectors.RecentRead): a change made here shows at once.
        post_save.connect(selectors.clinic_list_forget, sender=Clinic, dispatch_uid="clinic_list_forget_on_save")
        post_delete.connect(selectors.clinic_list_forget, sender=Clinic, dispatch_uid="clinic_list_forget_on_delete")
