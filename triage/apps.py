from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = _("Hip and back self-check")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
