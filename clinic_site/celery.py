"""The Celery app: emails and scheduled jobs run here (`make worker`, docs/operations.md).

Configured from Django's settings (the CELERY_* names); without a broker the
settings make every task run inline, so `make run` and `make test` need no worker.
Tasks live in each app's tasks.py and are found by autodiscovery.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")

app = Celery("clinic_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="clinic_site.celery.sessions_clear", ignore_result=True)
def sessions_clear() -> None:
    """Delete expired sessions (and the answers in progress they hold): run daily by beat."""
    from django.core.management import call_command

    call_command("clearsessions")
