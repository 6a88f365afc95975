"""Load test: simulated patients complete the whole self-check against gunicorn.

    python -m bench.load                      # SQLite, then PostgreSQL, 16 patients, 30 s each
    python -m bench.load --db sqlite --duration 10 --patients 8

For each database it migrates a fresh database, starts gunicorn (2 workers,
production settings, Redis cache) on 127.0.0.1, runs the patients
(bench/patients.py) until the time is up (each finishes the journey it is
on), stops gunicorn, then checks the stored submissions against the completed
journeys (nothing lost, nothing doubled) and the notification log against the
events that send email (bench/emails.py: one email per booking request, one
more when the patient gave an email address, one per red flag with consent).

Exits 1 when any journey had an error, the counts differ, or an event did
not get exactly one email, sent. Figures go to
stdout and bench/out/load-<db>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import databases, emails, report
from .patients import Stats, patient
from .server import ROOT, Gunicorn, manage

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
OUT = ROOT / "bench" / "out"


def production_env(*, run_id: str, database_url: str, workers: int, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"load-{run_id}",
        # All simulated patients share 127.0.0.1: the per-IP limits would stop them.
        "TRIAGE_SUBMISSIONS_PER_HOUR": "100000000",
        "TRIAGE_STEP_POSTS_PER_HOUR": "100000000",
        "TRIAGE_NEW_SESSIONS_PER_HOUR": "100000000",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(workers),
        "DATABASE_URL": database_url,
        # Emails are sent inline to a backend that discards them: the
        # notification log still records each one, and no task is left in Redis.
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "EMAIL_URL": "dummy:",
        # Somewhere to send the clinic's emails (without it each is logged as failed: no address).
        "CLINIC_NOTIFY_EMAIL": "clinic@example.com",
        "SITE_URL": f"https://127.0.0.1:{port}",
    }


def patients_run(*, port: int, patients: int, duration: float, stats: Stats) -> float:
    """Run the patients until ``duration`` is up; the seconds it took."""
    started = time.monotonic()
    deadline = started + duration
    threads = [threading.Thread(target=patient, args=(port, deadline, stats, seed)) for seed in range(patients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 120)
    return time.monotonic() - started


def run(db: str, *, port: int, patients: int, duration: float, workers: int, out: Path = OUT) -> dict:
    run_id = f"{os.getpid()}_{secrets.token_hex(3)}"
    out.mkdir(parents=True, exist_ok=True)
    stats = Stats()
    with (
        tempfile.TemporaryDirectory(prefix="load-") as tmp,
        databases.database_throwaway(backend=db, name=f"load_clinic_{run_id}", directory=Path(tmp)) as url,
    ):
        env = production_env(run_id=run_id, database_url=url, workers=workers, port=port)
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        with (
            open(out / f"load-{db}-gunicorn.log", "w") as log,
            Gunicorn(port=port, env=env, workers=workers, stderr=log, timeout=30),
        ):
            elapsed = patients_run(port=port, patients=patients, duration=duration, stats=stats)
        script = "from bench.emails import stored_print; stored_print()"
        stored = emails.stored_parse(manage(env, "shell", "--no-imports", "-c", script))
    figures = report.load_report(
        database=db,
        patients=patients,
        workers=workers,
        elapsed=elapsed,
        stats=stats,
        stored=stored["submissions"],
        emails=emails.emails_check(stored=stored, stats=stats),
    )
    (out / f"load-{db}.json").write_text(json.dumps(figures, indent=2))
    return figures


def preflight(*, postgres: bool) -> None:
    """Say clearly what is missing rather than failing half-way with a traceback."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        raise SystemExit(f"load: Redis does not answer at {REDIS_URL} (set REDIS_URL): {error}") from None
    if postgres and not databases.postgres_reachable():
        raise SystemExit(f"load: PostgreSQL does not answer at {databases.POSTGRES_URL} (set BENCH_POSTGRES_URL)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--patients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per database (max 300)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8100)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    parser.add_argument("--out", type=Path, default=OUT, help="where load-<db>.json and the gunicorn log go")
    args = parser.parse_args()
    duration = min(args.duration, 300.0)
    dbs = list(databases.BACKENDS) if args.db == "both" else [args.db]
    preflight(postgres="postgresql" in dbs)
    ok = True
    for db in dbs:
        figures = run(db, port=args.port, patients=args.patients, duration=duration, workers=args.workers, out=args.out)
        print(json.dumps(figures, indent=2))
        passed = report.load_passed(figures)
        sent = figures["emails"]
        print(
            f"== {db}: {figures['journeys_completed']} journeys in {figures['seconds']} s, "
            f"{figures['errors']} errors, {figures['stored_submissions']} stored "
            f"({figures['lost_or_doubled']:+d} lost/doubled); {sent['emails']} emails for {sent['events']} events "
            f"({sent['sent']} sent, {sent['failed']} failed, {sent['queued']} queued): {'OK' if passed else 'FAILED'}"
        )
        ok = ok and passed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
