"""Time the parts of one page in-process, with a timer around each: where a request's milliseconds go.

    python -m bench.sections final_submit          # or step_get, step_post, result_get
    python -m bench.sections final_submit --database-url postgres://postgres@127.0.0.1:5432/clinic_sections

Unlike the profiler (bench/profile.py), whose overhead inflates code that
makes many small calls (the ORM, forms), a timer around a function costs a
microsecond, so the figures add up to the request's own time. A part's time
includes the parts called inside it (indented). On PostgreSQL, give a
database that may be dropped and made again.
"""

from __future__ import annotations

import argparse
import collections
import functools
import tempfile
import time

# (module, attribute path, label): what is timed, outermost first.
SECTIONS = [
    ("django.core.handlers.base", "BaseHandler.get_response", "request (middleware and view)"),
    ("triage.views", "SelfCheckWizard.dispatch", "  the wizard view"),
    ("triage.sessions", "SessionStore.load", "    session read"),
    ("triage.views", "SelfCheckWizard.get_form_list", "    screens shown (the plan)"),
    ("triage.screens", "plan_build", "      plan built"),
    ("formtools.wizard.views", "WizardView.get_form", "    forms built"),
    ("triage.views", "SelfCheckWizard.render_done", "    final checks and storing"),
    ("triage.services", "submission_create", "      submission stored"),
    ("triage.services", "submission_build", "        scored and built"),
    ("triage.services", "suggestions_insert", "        suggestions inserted"),
    ("triage.sessions", "SessionStore.write", "        session written"),
    ("django.db.transaction", "Atomic.__exit__", "        commit"),
    ("triage.selectors", "ruleset_get", "    latest ruleset"),
    ("triage.selectors", "clinic_list", "    clinic list"),
]


def timers_install(spent: collections.Counter) -> None:
    import importlib

    for module_name, path, label in SECTIONS:
        owner = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        real = getattr(owner, name)

        def timed(*args, _real=real, _label=label, **kwargs):
            started = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_label] += time.perf_counter() - started

        functools.update_wrapper(timed, real)
        if hasattr(real, "clear"):
            timed.clear = real.clear  # a RecentRead (triage.selectors) stays clearable
        setattr(owner, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", choices=["step_get", "step_post", "final_submit", "result_get"])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--database-url", help="default: a throwaway SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sections-") as tmp:
        from django.test import Client

        from .scenarios import inprocess_setup, plan_send

        fixtures = inprocess_setup(args.database_url or f"sqlite:///{tmp}/sections.sqlite3")
        plan = fixtures.plan(args.page, args.requests + 20)
        client = Client()
        spent: collections.Counter = collections.Counter()
        timers_install(spent)
        for index in range(20):  # warm: compiled templates, parsed ruleset
            plan_send(client, *plan[index])
        spent.clear()
        started = time.perf_counter()
        for index in range(20, 20 + args.requests):
            plan_send(client, *plan[index % len(plan)])
        total = (time.perf_counter() - started) * 1000 / args.requests
        print(f"{args.page}: {total:.2f} ms per request in-process (the test client included)")
        for _module, _path, label in SECTIONS:
            if spent[label]:
                print(f"{label:<36} {spent[label] * 1000 / args.requests:7.3f} ms")


if __name__ == "__main__":
    main()
