"""The admin's triage queue (the submission changelist) timed at scale, in-process.

``make bench`` times the plain changelist at two sizes as a superuser. On its
own, this module times the queue's pages as a clinician on a SQLite file it
keeps between runs (seeding 100,000 submissions takes a while), or on the
database of ``--database-url`` (a PostgreSQL database, say, made beforehand):

    python -m bench.changelist --submissions 100000 --runs 15
    python -m bench.changelist --database-url postgres://postgres@127.0.0.1:5432/clinic_queue

``--every-row-open`` leaves every seeded submission new (no clinic mix): the
worst case for the call list, which then needs action on all 100,000 rows.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import time
from pathlib import Path

CHANGELIST = "/admin/triage/submission/"
PAGES = {
    "call list (needs action)": CHANGELIST,
    "call list, page 3": CHANGELIST + "?p=3",
    "all submissions": CHANGELIST + "?queue=all",
    "changelist, red flags, page 3": CHANGELIST + "?red_flag=yes&p=3",
    "changelist, search by name": CHANGELIST + "?q=aroha",
    "dashboard": CHANGELIST + "dashboard/",
}


def page_time(client, url: str, *, repeats: int) -> dict:
    """The median of ``repeats`` requests after one warm-up (templates, caches), and the query count.

    Also this process's CPU time per request: on SQLite (in-process) that is the
    page's whole cost, and steadier than wall time on a machine others share.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings, cpu, queries = [], [], 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    median = statistics.median(timings)
    return {
        "median_ms": median,
        "best_ms": min(timings),
        "worst_ms": max(timings),
        "cpu_ms": statistics.median(cpu),
        "queries": queries,
    }


def submissions_top_up(size: int, *, seed: int) -> None:
    from django.core.management import call_command

    from triage.models import Submission

    missing = size - Submission.objects.count()
    if missing > 0:
        call_command("seed_demo", submissions=missing, seed=seed, verbosity=0)


def clinic_mix_apply(*, seed: int) -> None:
    """Make the seeded rows look like a clinic's a few months in (once): what is older than two
    weeks has been dealt with (closed), two in five agreed to be contacted, and a few hundred
    "book an assessment" results sent a booking request, some still open. The call list then
    has to find its rows among many closed ones, as it will in real use."""
    import datetime
    import random

    from django.db.models.functions import Mod
    from django.utils import timezone

    from booking.models import BookingRequest, BookingStatus
    from triage.models import ReviewStatus, Submission

    if Submission.objects.filter(status=ReviewStatus.CLOSED).exists():
        return
    rng = random.Random(seed)
    cutoff = timezone.now() - datetime.timedelta(days=14)
    Submission.objects.annotate(m=Mod("id", 5)).filter(m__lt=2).update(contact_consent=True)
    Submission.objects.filter(created_at__lt=cutoff).update(status=ReviewStatus.CLOSED)
    bookable = list(
        Submission.objects.filter(disposition="book_assessment").values_list("pk", "reference", "clinic_id")
    )
    chosen = rng.sample(bookable, min(400, len(bookable)))
    clinic_id = Submission.objects.exclude(clinic=None).values_list("clinic_id", flat=True).first()
    BookingRequest.objects.bulk_create(
        BookingRequest(
            submission_id=pk,
            reference=reference,
            clinic_id=clinic or clinic_id,
            preferred_days=["mon", "thu"],
            preferred_times=["morning"],
            name="Demo Patient",
            phone="021 000 0000",
            consent=True,
            status=BookingStatus.NEW if i % 2 else BookingStatus.BOOKED,
        )
        for i, (pk, reference, clinic) in enumerate(chosen)
    )


def database_analyze() -> None:
    """On PostgreSQL, what autovacuum does soon after a bulk load (planner statistics, the
    visibility map), done now so the timings do not depend on when it last ran. SQLite is
    left as a deployment leaves it: nothing runs ANALYZE there."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def changelist_bench(*, sizes: tuple[int, int], repeats: int, target_ms: float) -> dict:
    """``make bench``'s figure: the changelist at a small and a large size, same query count, under target."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from triage.models import Submission

    user = get_user_model().objects.create_superuser("bench", "bench@example.com", secrets.token_urlsafe(16))
    client = Client()
    client.force_login(user)
    timed = {}
    for size in sizes:
        submissions_top_up(size, seed=2)
        # What autovacuum does within a minute or so of a bulk load; the count reads an index
        # alone only once the visibility map says the rows are visible (PostgreSQL at 100,000:
        # 150 ms straight after the load, 57 ms after).
        database_analyze()
        figures = page_time(client, CHANGELIST, repeats=repeats)
        timed[str(size)] = {"median_ms": figures["median_ms"], "queries": figures["queries"]}
        timed[str(size)]["rows"] = Submission.objects.count()
    small, large = timed[str(sizes[0])], timed[str(sizes[1])]
    same = small["queries"] == large["queries"]
    return {"sizes": timed, "same_queries": same, "ok": same and large["median_ms"] <= target_ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", type=Path, default=Path(__file__).resolve().parent / "admin_changelist.sqlite3")
    parser.add_argument("--database-url", default="", help="another database than the SQLite file of --db")
    parser.add_argument("--every-row-open", action="store_true", help="no clinic mix: every row needs action")
    parser.add_argument("--only", default="", help="time only the pages whose name contains this")
    args = parser.parse_args()
    if not 1 <= args.runs <= 200:
        parser.error("--runs must be 1 to 200")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{args.db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from triage.models import Submission

    call_command("migrate", verbosity=0)
    print(f"Topping up to {args.submissions} submissions...", flush=True)
    submissions_top_up(args.submissions, seed=1)
    if not args.every_row_open:
        clinic_mix_apply(seed=1)
    database_analyze()
    user, _ = User.objects.get_or_create(username="bench-clinician", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Clinician"))
    client = Client()
    client.force_login(user)
    vendor = connection.vendor
    print(f"{Submission.objects.count()} submissions, {vendor}, {args.runs} runs each (after a warm-up):")
    for name, url in PAGES.items():
        if args.only not in name:
            continue
        f = page_time(client, url, repeats=args.runs)
        print(
            f"  {name:32s} median {f['median_ms']:6.1f} ms  best {f['best_ms']:6.1f}  worst {f['worst_ms']:6.1f}"
            f"  CPU {f['cpu_ms']:6.1f} ms  ({f['queries']} queries)"
        )


if __name__ == "__main__":
    main()
