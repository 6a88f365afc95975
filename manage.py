#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that read the code and sign, serve or send nothing: they may run
# without a SECRET_KEY (the public development key is then allowed, as in a
# test run). Everything else needs SECRET_KEY, or DJANGO_DEBUG=1 locally
# (clinic_site/settings.py explains why).
KEY_FREE_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "help", "version"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEY_FREE_COMMANDS and not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DJANGO_TESTING", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
