"""Settings for ``make bench``: the real settings, plus a hello-world URL to compare against.

Production-like where it matters to speed: DEBUG off (so the cached template
loader is on), no per-request logging. The rate limit is lifted because the
benchmark posts and submits far more often than any one person could: every
questionnaire limit is lifted (a limit left on turns the later scenarios into
429 pages, sooner the faster the machine).
"""

import os

# A benchmark run, not a site: the public development key may sign its sessions (clinic_site/settings.py).
os.environ.setdefault("DJANGO_TESTING", "1")

from clinic_site.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
TRIAGE_SUBMISSION_RATE_LIMIT = (10**9, 3600)
TRIAGE_STEP_RATE_LIMIT = (10**9, 3600)
TRIAGE_NEW_SESSION_RATE_LIMIT = (10**9, 3600)
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}  # noqa: F405
