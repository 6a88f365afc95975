"""Time the triage queue (submission changelist) and the dashboard at scale.

    .venv/bin/python bench/admin_changelist.py --submissions 100000

Uses its own SQLite file (bench/admin_changelist.sqlite3 unless --db is
given), migrates it, tops it up to N demo submissions with seed_demo, then
requests each page through Django's test client as a clinician (DEBUG off,
so templates are cached as in production) and prints the median, best and
worst of --runs timed requests after one warm-up, with the query count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", default=str(ROOT / "bench" / "admin_changelist.sqlite3"))
    args = parser.parse_args()
    if not 1 <= args.runs <= 200:
        parser.error("--runs must be 1 to 200")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{args.db}"
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.setdefault("DJANGO_TESTING", "1")  # a measurement: the development SECRET_KEY is fine
    # One log line per request would drown the figures.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from triage.models import Submission

    call_command("migrate", verbosity=0)
    missing = args.submissions - Submission.objects.count()
    if missing > 0:
        print(f"Seeding {missing} submissions...", flush=True)
        call_command("seed_demo", submissions=missing, seed=1)
    user, _ = User.objects.get_or_create(username="bench-clinician", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Clinician"))
    client = Client()
    client.force_login(user)

    pages = {
        "changelist": "/admin/triage/submission/",
        "changelist, red flags, page 3": "/admin/triage/submission/?red_flag=yes&p=3",
        "changelist, search by name": "/admin/triage/submission/?q=aroha",
        "dashboard": "/admin/triage/submission/dashboard/",
    }
    print(f"{Submission.objects.count()} submissions, SQLite, {args.runs} runs each (after a warm-up):")
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries: list[str] = []

        def count(execute, sql, *rest, log=queries):
            log.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(url)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        print(
            f"  {name:32s} median {statistics.median(timings):6.1f} ms  "
            f"best {min(timings):6.1f}  worst {max(timings):6.1f}  ({len(queries)} queries)"
        )


if __name__ == "__main__":
    main()
