"""What every settings module shares: the project folder, environment readers, and the few values that
the sibling settings modules (settings_tasks, settings_security) need before settings.py sets the rest.

Split out of settings.py to keep each module under 400 lines (issue 10); settings.py re-exports every name.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# DJANGO_ENV=production switches on everything a public deployment needs and
# refuses to start without the secrets it cannot guess.
PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
TIME_ZONE = "Pacific/Auckland"
# Cache (settings.CACHES) and Celery broker: Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
