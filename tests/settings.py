"""Settings for the test suite: the real settings, run as a test.

DJANGO_TESTING lets the suite (and the manage.py subprocesses it starts,
which inherit the variable) use the public development SECRET_KEY with DEBUG
off; clinic_site/settings.py refuses that anywhere else, and ignores the
variable under DJANGO_ENV=production.
"""

import os

os.environ.setdefault("DJANGO_TESTING", "1")

from clinic_site.settings import *  # noqa: F403
