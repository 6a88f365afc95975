"""Re-measure the speed-ups that lean on a library's private internals: each on, then off.

    python -m bench.internals                       # on a throwaway SQLite file
    python -m bench.internals --backend postgresql  # on a throwaway PostgreSQL database (BENCH_POSTGRES_URL)

Each speed-up is switched off by putting back what it replaced, in-process,
and the pages it touches are timed with it on and off, alternately, through
Django's test client with the bench settings: wall time per request (the
database's time included), median of the batches. A speed-up worth keeping
saves at least 10% of its page's time, and is pinned by
tests/triage/test_private_internals.py (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from . import databases


@contextmanager
def yes_no_markup_not_memoised():
    from triage import forms

    with mock.patch.object(forms, "_yes_no_render", forms._yes_no_render.__wrapped__):
        yield


@contextmanager
def wizard_done_through_its_own_url():
    """formtools' own way: the final POST redirects to the done URL, whose GET re-validates and stores."""
    from formtools.wizard.views import NamedUrlSessionWizardView

    from triage.views import SelfCheckWizard

    plain_get = SelfCheckWizard.get

    def get(view, *args, **kwargs):
        if kwargs.get("step") == view.done_step_name:
            return NamedUrlSessionWizardView.get(view, *args, **kwargs)
        return plain_get(view, *args, **kwargs)

    with (
        mock.patch.object(SelfCheckWizard, "render_done", NamedUrlSessionWizardView.render_done),
        mock.patch.object(SelfCheckWizard, "get", get),
    ):
        yield


SPEED_UPS: dict[str, tuple[Callable, tuple[str, ...]]] = {
    "memoised yes/no markup": (yes_no_markup_not_memoised, ("step_get",)),
    "render_done past NamedUrlWizardView": (wizard_done_through_its_own_url, ("final_submit",)),
}


KINDS = ("wall ms on", "CPU ms on")


def batch_ms(fixtures, page: str, requests: int) -> tuple[float, float]:
    """Wall and CPU time per request of one batch, following a redirect to the wizard's done URL."""
    from django.test import Client

    from .scenarios import plan_send

    client = Client()
    plan = fixtures.plan(page, requests)
    started, cpu = time.perf_counter(), time.process_time()
    for request in plan[:requests]:
        response = plan_send(client, *request)
        if response.status_code == 302 and response["Location"].endswith("/done/"):
            response = client.get(response["Location"])
        if page == "final_submit":
            assert response.status_code == 302 and "/result/" in response["Location"], response
    return (time.perf_counter() - started) * 1000 / requests, (time.process_time() - cpu) * 1000 / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=databases.BACKENDS, default="sqlite")
    parser.add_argument("--only", default="", help="only the speed-ups whose name contains this")
    parser.add_argument("--requests", type=int, default=60, help="requests per batch")
    parser.add_argument("--batches", type=int, default=5, help="batches with the speed-up on, and as many off")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="bench-internals-") as tmp,
        databases.database_throwaway(
            backend=args.backend, name=f"clinic_internals_{os.getpid()}", directory=Path(tmp)
        ) as url,
    ):
        from .scenarios import inprocess_setup

        fixtures = inprocess_setup(url)
        for page in ("step_get", "step_post", "final_submit"):
            batch_ms(fixtures, page, 20)  # warm: compiled templates, parsed ruleset
        print(f"{'speed-up':38s} {'page':13s}" + "".join(f"  {kind:>9s} {'off':>6s} {'gain':>6s}" for kind in KINDS))
        for name, (switched_off, pages) in SPEED_UPS.items():
            if args.only not in name:
                continue
            for page in pages:
                on, off = [], []
                for _ in range(args.batches):
                    on.append(batch_ms(fixtures, page, args.requests))
                    with switched_off():
                        off.append(batch_ms(fixtures, page, args.requests))
                figures = ""
                for kind in range(len(KINDS)):
                    on_ms = statistics.median(batch[kind] for batch in on)
                    off_ms = statistics.median(batch[kind] for batch in off)
                    figures += f"  {on_ms:9.2f} {off_ms:6.2f} {(off_ms - on_ms) / off_ms:6.1%}"
                print(f"{name:38s} {page:13s}{figures}", flush=True)


if __name__ == "__main__":
    main()
