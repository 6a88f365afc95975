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
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "results.json"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PORTS = {"sqlite": 8201, "postgresql": 8202}

# Targets from the issue: throughput as a ratio of hello-world; the rest absolute.
TARGETS = {
    "step_get": 0.12,
    "step_post": 0.10,
    "final_submit": 0.08,
    "result_get": 0.15,
}
QUERY_BUDGETS = {"step_get": 4, "step_post": 4, "final_submit": 8, "result_get": 4}
SCORE_TARGET_US = 50.0
ADMIN_TARGET_MS = 300.0

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
CSRF_SECRET = "b" * 32  # a fixed CSRF cookie for the load: its value is irrelevant to speed


# --- The parent: one worker process per backend, then the table -------------------


def postgres_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
    except OSError:
        return False
    return True


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
    results = {"config": config, "machine": machine(), "backends": {}}
    failed = False
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            if backend == "sqlite":
                url = f"sqlite:///{tmp}/bench.sqlite3"
            elif backend == "postgresql":
                if not postgres_reachable():
                    print("bench: PostgreSQL not reachable on 127.0.0.1:5432: skipped")
                    results["backends"][backend] = {"skipped": "PostgreSQL not reachable"}
                    continue
                url = postgres_database_create()
            else:
                sys.exit(f"bench: unknown backend {backend!r}")
            part = Path(tmp) / "result.json"
            command = [sys.executable, "-m", "bench.run", "--backend-worker", backend, "--database-url", url]
            command += ["--out", str(part), "--port-offset", str(args.port_offset)] + (
                ["--quick"] if args.quick else []
            )
            print(f"== {backend}", flush=True)
            try:
                completed = subprocess.run(command, cwd=ROOT, check=False)
                if completed.returncode == 0:
                    results["backends"][backend] = json.loads(part.read_text())
                else:
                    failed = True
                    results["backends"][backend] = {"skipped": f"the run failed (exit {completed.returncode})"}
            finally:
                if backend == "postgresql":
                    postgres_database_drop(url)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"\nWritten to {args.out}")
    if failed:
        sys.exit("bench: a backend's run failed (see above)")


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0].strip(),  # noqa: S607
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def postgres_database_create() -> str:
    import psycopg

    name = f"clinic_bench_{os.getpid()}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


def postgres_database_drop(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def print_table(results: dict) -> None:
    rows = []
    for backend, r in results["backends"].items():
        if "skipped" in r:
            rows.append((backend, "(skipped)", r["skipped"], "", ""))
            continue
        hello = r["throughput"]["hello"]
        rows.append(
            (
                backend,
                "hello-world",
                f"{hello['rps_median']:.0f} req/s, {hello['worker_cpu_ms_median']:.2f} ms CPU/req",
                "(yardstick)",
                "",
            )
        )
        for name, target in TARGETS.items():
            t = r["throughput"][name]
            cpu = f", CPU ratio {t['cpu_ratio_median']:.3f}x" if t["cpu_ratio_median"] else ""
            value = f"{t['ratio_median']:.3f}x ({t['rps_median']:.0f} req/s{cpu})"
            rows.append((backend, name, value, f">= {target}x", mark(t["ok"])))
        for name, budget in QUERY_BUDGETS.items():
            count = r["queries"][name]
            rows.append((backend, f"queries {name}", str(count), f"<= {budget}", mark(count <= budget)))
        s = r["score"]
        rows.append((backend, "score()", f"{s['median_us']:.1f} us", f"<= {SCORE_TARGET_US:.0f} us", mark(s["ok"])))
        for size, a in r["admin_changelist"]["sizes"].items():
            rows.append(
                (backend, f"admin changelist @{size}", f"{a['median_ms']:.1f} ms, {a['queries']} queries", "", "")
            )
        a = r["admin_changelist"]
        rows.append(
            (
                backend,
                "admin changelist",
                "same query count" if a["same_queries"] else "query count grows",
                f"<= {ADMIN_TARGET_MS:.0f} ms, same queries",
                mark(a["ok"]),
            )
        )
        for pid, rss in r["rss_mb_per_worker"].items():
            rows.append((backend, f"RSS worker {pid}", f"{rss:.1f} MB", "", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    header = ("backend", "figure", "value", "target", "")
    print()
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


# --- The worker: one backend, Django configured against its own database ---------


def backend_run(backend: str, database_url: str, config: dict, port: int) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", submissions=config["admin_small"], seed=1, verbosity=0)
    fixtures = Fixtures()
    result = {"database": backend, "queries": fixtures.query_counts(), "score": score_timing()}
    server = Gunicorn(port=port, database_url=database_url)
    try:
        result["throughput"] = throughput(fixtures, server, config)
        result["rss_mb_per_worker"] = server.worker_rss_mb()
    finally:
        server.stop()
    result["admin_changelist"] = admin_changelist(config)
    return result


class Fixtures:
    """Questionnaire sessions and result links, made in-process in the bench database."""

    def __init__(self) -> None:
        from django.test import Client

        from triage import screens, selectors
        from triage.models import Clinic, Submission

        self.ruleset = selectors.ruleset_get()
        self.clinic_id = Clinic.objects.values_list("pk", flat=True).first()
        self.tokens = list(Submission.objects.values_list("token", flat=True)[:50])
        self.yes = {"groin_pain", "clicking_catching", "pain_deep_flexion_twisting", "flat_feet", "uneven_shoe_wear"}
        self.screens = {screen.name: screen for screen in screens.screens_for(self.ruleset)}
        self.client_class = Client

    def body(self, step: str) -> dict[str, str | list[str]]:
        """What a person with groin pain posts on ``step`` (a screen of triage.screens)."""
        from triage import screens

        screen = self.screens[step]
        if step == screens.DURATION:
            data = {"pain_duration": "6_to_12_weeks"}
        elif step == screens.INTENSITY:
            data = {"pain_intensity": "6"}
        elif step in (screens.ENJOYMENT, screens.ACTIVITY):
            data = {f"{step}_interference": "4"}
        elif step == screens.CONTACT:
            data = {"clinic": str(self.clinic_id)}
        elif screen.form_class.__name__ == "ChecklistForm":
            data = {"ticked": [q.code for q in screen.questions if q.code in self.yes] or ["none"]}
        else:
            data = {q.code: "yes" if q.code in self.yes else "no" for q in screen.questions}
        body = {f"{step}-{key}": value for key, value in data.items()}
        body["self_check_wizard-current_step"] = step
        return body

    def client_at(self, step: str):
        """A client whose questionnaire has every screen before ``step`` answered."""
        client = self.client_class()
        location = client.get("/check/")["Location"]
        while location != f"/check/{step}/":
            earlier = location.strip("/").rsplit("/", 1)[-1]
            response = client.post(location, self.body(earlier))
            assert response.status_code == 302 and "/check/" in response["Location"], (earlier, response.status_code)
            location = response["Location"]
        return client

    def query_counts(self) -> dict[str, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count(call) -> int:
            with CaptureQueriesContext(connection) as queries:
                response = call()
            assert response.status_code in (200, 302), response.status_code
            return len(queries)

        client = self.client_at(STEP)
        counts = {
            "step_get": count(lambda: client.get(f"/check/{STEP}/")),
            "step_post": count(lambda: client.post(f"/check/{STEP}/", self.body(STEP))),
        }
        client = self.client_at("contact")
        counts["final_submit"] = count(lambda: client.post("/check/contact/", self.body("contact")))
        # A result opens only in the session that made it: this client's own.
        from triage.selectors import RESULT_TOKENS_SESSION_KEY

        own = client.session[RESULT_TOKENS_SESSION_KEY][-1]
        counts["result_get"] = count(lambda: client.get(f"/result/{own}/"))
        return counts

    def result_cookie(self) -> str:
        """A session that owns every benchmark token, as if it had made those results."""
        from django.conf import settings

        from triage.selectors import RESULT_TOKENS_SESSION_KEY
        from triage.sessions import SessionStore

        store = SessionStore()
        store[RESULT_TOKENS_SESSION_KEY] = self.tokens
        store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    def session_cookies(self, step: str, count: int) -> list[str]:
        """``count`` sessions stopped at ``step``: copies of one real one, each its own questionnaire run."""
        from django.conf import settings
        from django.contrib.sessions.models import Session

        from triage.sessions import SessionStore
        from triage.views import RUN_ID_KEY

        client = self.client_at(step)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        template = Session.objects.get(session_key=key)
        data = SessionStore().decode(template.session_data)
        wizard_key = next(k for k in data if k.startswith("wizard_"))
        rows, cookies = [], []
        for _ in range(count):
            data[wizard_key]["extra_data"] = {RUN_ID_KEY: secrets.token_hex(16)}
            session_key = secrets.token_hex(16)
            rows.append(
                Session(
                    session_key=session_key,
                    session_data=SessionStore().encode(data),
                    expire_date=template.expire_date,
                )
            )
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}")
        Session.objects.bulk_create(rows, batch_size=500)
        return cookies

    def plan(self, scenario: str, count: int) -> list[tuple[str, str, str, str]]:
        from urllib.parse import urlencode

        if scenario == "hello":
            return [("GET", "/bench/hello/", "", "")]
        if scenario == "result_get":
            cookie = self.result_cookie()
            return [("GET", f"/result/{token}/", cookie, "") for token in self.tokens]
        if scenario == "step_get":
            return [("GET", f"/check/{STEP}/", cookie, "") for cookie in self.session_cookies(STEP, 20)]
        body = {"csrfmiddlewaretoken": CSRF_SECRET}
        if scenario == "step_post":
            body.update(self.body(STEP))
            return [("POST", f"/check/{STEP}/", c, urlencode(body, doseq=True)) for c in self.session_cookies(STEP, 20)]
        if scenario == "final_submit":
            body.update(self.body("contact"))
            return [("POST", "/check/contact/", c, urlencode(body)) for c in self.session_cookies("contact", count)]
        raise ValueError(scenario)


# The screen the step scenarios load: where it hurts (the checklist with the body
# diagram, the heaviest questionnaire screen), answered with groin pain.
STEP = "where"
# Where each scenario's first request must land, checked before any load: a
# benchmark of an error page or a redirect back to step 1 would be meaningless.
EXPECTED = {
    "hello": (200, None),
    "step_get": (200, None),
    "step_post": (302, "/check/more_hip/"),
    "final_submit": (302, "/result/"),
    "result_get": (200, None),
}


class Gunicorn:
    def __init__(self, *, port: int, database_url: str) -> None:
        self.port = port
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        command = [sys.executable, "-m", "gunicorn", "clinic_site.wsgi:application"]
        command += ["--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/hello/", timeout=10).read()
                return
            except OSError:  # refused while starting, or slow to answer on a busy machine
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn exited at start") from None
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on 127.0.0.1:{port} within 60 s")

    def first_response(self, method: str, path: str, cookie: str, body: str) -> tuple[int, str]:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": cookie} if cookie else {}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, response.getheader("Location", "")

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return sorted(pids)

    def worker_cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far."""
        ticks = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def worker_rss_mb(self) -> dict[str, float]:
        rss = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss[str(pid)] = int(line.split()[1]) / 1024
        return rss

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wrk(*, port: int, plan_file: Path, once: bool, duration: int, connections: int) -> dict:
    command = ["wrk", "--threads", "1", "--connections", str(connections), "--duration", f"{duration}s"]
    command += ["--timeout", "10s", "--script", str(ROOT / "bench" / "wrk.lua"), f"http://127.0.0.1:{port}"]
    command += ["--", str(plan_file)] + (["once"] if once else [])
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    stats = json.loads(line.removeprefix("WRK_JSON "))
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    return stats


def run_scenario(name: str, fixtures: Fixtures, server: Gunicorn, config: dict, tmp: Path, hello_rps) -> dict:
    """One wrk run of one scenario, after checking its first request lands where it should."""
    from triage.models import Submission

    # A final submit uses each session once: enough for the whole run even
    # at hello-world speed, so the plan never runs out.
    needed = int((hello_rps or 500) * config["duration"] * 1.2) + 100 if name == "final_submit" else 0
    plan = fixtures.plan(name, needed)
    status, location = server.first_response(*plan[0])
    expected_status, expected_location = EXPECTED[name]
    if status != expected_status or (expected_location and expected_location not in location):
        raise RuntimeError(f"{name}: first request gave {status} {location!r}, not {EXPECTED[name]}")
    plan = plan[1:] if name == "final_submit" else plan  # that session is used up now
    plan_file = tmp / f"{name}.plan"
    plan_file.write_text("".join("\t".join(request) + "\n" for request in plan))
    stored_before = Submission.objects.count()
    cpu_before = server.worker_cpu_seconds()
    stats = wrk(
        port=server.port,
        plan_file=plan_file,
        once=name == "final_submit",
        duration=config["duration"],
        connections=config["connections"],
    )
    # The workers' own CPU per request: unlike throughput, it hardly moves with
    # the machine's background load (the database server's CPU is not in it).
    stats["worker_cpu_ms"] = (server.worker_cpu_seconds() - cpu_before) * 1000 / max(stats["requests"], 1)
    if name == "final_submit":
        stats["stored"] = Submission.objects.count() - stored_before
        stats["sessions"] = len(plan)
    return stats


def throughput(fixtures: Fixtures, server: Gunicorn, config: dict) -> dict:
    scenarios = ["hello", *TARGETS]
    rounds: dict[str, list[dict]] = {name: [] for name in scenarios}
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as tmp:
        # Warm up both workers (imports, compiled templates, parsed ruleset) before anything counts.
        for name in ("hello", "step_get", "step_post", "result_get") if config["warmup"] else ():
            plan_file = Path(tmp) / f"warm-{name}.plan"
            plan_file.write_text("".join("\t".join(request) + "\n" for request in fixtures.plan(name, 0)))
            wrk(
                port=server.port,
                plan_file=plan_file,
                once=False,
                duration=config["warmup"],
                connections=config["connections"],
            )
        for round_number in range(config["rounds"]):
            for name in TARGETS:
                # Each page is paired with a hello-world run just before it: on a
                # shared machine the background load drifts, and a ratio taken
                # seconds apart is steadier than one taken a minute apart.
                hello = run_scenario("hello", fixtures, server, config, Path(tmp), hello_rps=None)
                hello["round"] = round_number + 1
                rounds["hello"].append(hello)
                stats = run_scenario(name, fixtures, server, config, Path(tmp), hello_rps=hello["rps"])
                stats["ratio"] = stats["rps"] / hello["rps"]
                stats["cpu_ratio"] = hello["worker_cpu_ms"] / stats["worker_cpu_ms"] if stats["worker_cpu_ms"] else None
                stats["round"] = round_number + 1
                rounds[name].append(stats)
                print(
                    f"   round {round_number + 1} {name:<13} {stats['rps']:8.1f} req/s  {stats['ratio']:.3f}x"
                    f"  (hello {hello['rps']:.0f})  worker CPU {stats['worker_cpu_ms']:.2f} ms/req"
                    f" (hello {hello['worker_cpu_ms']:.2f})",
                    flush=True,
                )
    summary = {}
    for name in scenarios:
        ratio = statistics.median(s.get("ratio", 1.0) for s in rounds[name])
        cpu_ratios = [s["cpu_ratio"] for s in rounds[name] if s.get("cpu_ratio")]
        summary[name] = {
            "rps_median": statistics.median(s["rps"] for s in rounds[name]),
            "worker_cpu_ms_median": statistics.median(s["worker_cpu_ms"] for s in rounds[name]),
            "cpu_ratio_median": statistics.median(cpu_ratios) if cpu_ratios else None,
            "ratio_median": ratio,
            "target": TARGETS.get(name),
            "ok": ratio >= TARGETS[name] if name in TARGETS else None,
            "errors": sum(s["status_errors"] + s["socket_errors"] for s in rounds[name]),
            "rounds": rounds[name],
        }
    return summary


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
    return {"median_us": median_us, "ok": median_us <= SCORE_TARGET_US, "repeat": 7, "number": number}


def admin_changelist(config: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from triage.models import Submission

    user = get_user_model().objects.create_superuser("bench", "bench@example.com", secrets.token_urlsafe(16))
    client = Client()
    client.force_login(user)
    sizes = {}
    for size in (config["admin_small"], config["admin_large"]):
        missing = size - Submission.objects.count()
        if missing > 0:
            call_command("seed_demo", submissions=missing, seed=2, verbosity=0)
        client.get("/admin/triage/submission/")  # warm: templates, caches
        timings, queries = [], 0
        for _ in range(config["admin_repeats"]):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/admin/triage/submission/")
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(captured)
        sizes[str(size)] = {
            "median_ms": statistics.median(timings),
            "queries": queries,
            "rows": Submission.objects.count(),
        }
    small, large = sizes[str(config["admin_small"])], sizes[str(config["admin_large"])]
    same = small["queries"] == large["queries"]
    return {"sizes": sizes, "same_queries": same, "ok": same and large["median_ms"] <= ADMIN_TARGET_MS}


if __name__ == "__main__":
    main()
