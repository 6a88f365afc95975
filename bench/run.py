"""``make bench``: throughput, query counts, scoring speed, admin changelist and memory.

    python -m bench.run                      # the full run (SQLite, and PostgreSQL when reachable)
    python -m bench.run --quick --out /tmp/r.json --backends sqlite   # the smoke test's tiny run

Throughput is noisy on a shared machine, so each page is reported as a ratio
to a hello-world view served by the same gunicorn (2 sync workers) in the same
round, with load from wrk in a separate process on 127.0.0.1; the median of
the rounds is what counts. Everything runs against a throwaway database.

Each backend runs in its own process (``--backend-worker``), because Django's
settings, database among them, are fixed once per process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import timeit
from pathlib import Path

from . import databases, report
from .server import ROOT, Gunicorn

DEFAULT_OUT = ROOT / "bench" / "results.json"
PORTS = {"sqlite": 8201, "postgresql": 8202}

FULL = {
    "rounds": 3,
    "duration": 5,
    "warmup": 1,
    "connections": 4,
    "admin_small": 100,
    "admin_large": 100_000,
    "admin_repeats": 7,
}
QUICK = {
    "rounds": 1,
    "duration": 1,
    "warmup": 0,
    "connections": 2,
    "admin_small": 10,
    "admin_large": 30,
    "admin_repeats": 2,
}


# --- The parent: one worker process per backend, then the table -------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one short round on a tiny database (smoke test)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--port-offset", type=int, default=0, help="added to the ports 8201/8202")
    parser.add_argument("--backend-worker", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    config = QUICK if args.quick else FULL
    if args.backend_worker:
        result = backend_run(
            args.backend_worker, args.database_url, config, PORTS[args.backend_worker] + args.port_offset
        )
        args.out.write_text(json.dumps(result, indent=2))
        return

    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed (make bench installs it with apt-get install wrk).")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    for backend in backends:
        if backend not in databases.BACKENDS:
            sys.exit(f"bench: unknown backend {backend!r}")
    results = {"config": config, "machine": report.machine(), "backends": {}}
    failed = False
    for backend in backends:
        if backend == "postgresql" and not databases.postgres_reachable():
            print("bench: PostgreSQL not reachable on 127.0.0.1:5432: skipped")
            results["backends"][backend] = {"skipped": "PostgreSQL not reachable"}
            continue
        print(f"== {backend}", flush=True)
        results["backends"][backend] = backend_process(backend, args)
        failed = failed or "skipped" in results["backends"][backend]
    report.results_write(path=args.out, results=results)
    report.table_print(results)
    print(f"\nWritten to {args.out}")
    if failed:
        sys.exit("bench: a backend's run failed (see above)")


def backend_process(backend: str, args: argparse.Namespace) -> dict:
    """Run one backend's measurements in a child process against a throwaway database."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        name = f"clinic_bench_{os.getpid()}"
        with databases.database_throwaway(backend=backend, name=name, directory=Path(tmp)) as url:
            part = Path(tmp) / "result.json"
            command = [sys.executable, "-m", "bench.run", "--backend-worker", backend, "--database-url", url]
            command += ["--out", str(part), "--port-offset", str(args.port_offset)]
            command += ["--quick"] if args.quick else []
            completed = subprocess.run(command, cwd=ROOT, check=False)
            if completed.returncode != 0:
                return {"skipped": f"the run failed (exit {completed.returncode})"}
            return json.loads(part.read_text())


# --- The worker: one backend, Django configured against its own database ---------


def backend_run(backend: str, database_url: str, config: dict, port: int) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from .changelist import changelist_bench
    from .loadgen import throughput
    from .scenarios import Fixtures

    call_command("migrate", verbosity=0)
    call_command("seed_demo", submissions=config["admin_small"], seed=1, verbosity=0)
    fixtures = Fixtures()
    result = {"database": backend, "queries": fixtures.query_counts(), "score": score_timing()}
    with Gunicorn(port=port, env=dict(os.environ), ready_path="/bench/hello/") as server:
        result["throughput"] = throughput(fixtures, server, config)
        result["rss_mb_per_worker"] = server.worker_rss_mb()
    result["admin_changelist"] = changelist_bench(
        sizes=(config["admin_small"], config["admin_large"]),
        repeats=config["admin_repeats"],
        target_ms=report.ADMIN_TARGET_MS,
    )
    return result


def score_timing() -> dict:
    from triage import scoring, selectors

    ruleset = selectors.ruleset_get()
    answers = scoring.Answers.from_mapping(
        {"groin_pain": True, "clicking_catching": True, "radiating_leg_pain": True, "flat_feet": True},
        "6_to_12_weeks",
        6,
    )
    number = 2000
    runs = timeit.repeat(lambda: scoring.score(ruleset, answers), number=number, repeat=7)
    median_us = statistics.median(runs) / number * 1e6
    return {"median_us": median_us, "ok": median_us <= report.SCORE_TARGET_US, "repeat": 7, "number": number}


if __name__ == "__main__":
    main()
