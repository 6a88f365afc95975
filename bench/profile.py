"""Profile one page in-process with pyinstrument, as the bench's figures were investigated.

    python -m bench.profile step_get        # or step_post, final_submit, result_get, hello
    python -m bench.profile step_get --requests 200 --html /tmp/step.html

Runs against a throwaway SQLite database (migrated and seeded) with the bench
settings (DEBUG off, cached template loader), warms the page up, then profiles
``--requests`` requests and prints the call tree and the CPU time per request.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", choices=["hello", "step_get", "step_post", "final_submit", "result_get"])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML report here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        from django.test import Client
        from pyinstrument import Profiler

        from .scenarios import inprocess_setup, plan_send

        fixtures = inprocess_setup(f"sqlite:///{tmp}/profile.sqlite3")
        plan = fixtures.plan(args.page, args.requests + 10)
        client = Client()
        for index in range(10):  # warm: compiled templates, parsed ruleset
            plan_send(client, *plan[index % len(plan)])
        profiler = Profiler(interval=0.0002)
        started = time.process_time()
        profiler.start()
        for index in range(10, 10 + args.requests):
            plan_send(client, *plan[index % len(plan)])
        profiler.stop()
        cpu_ms = (time.process_time() - started) * 1000 / args.requests
        print(profiler.output_text(unicode=True, color=False))
        print(f"{args.page}: {cpu_ms:.2f} ms CPU per request in-process (profiler overhead included)")
        if args.html:
            args.html.write_text(profiler.output_html())


if __name__ == "__main__":
    main()
