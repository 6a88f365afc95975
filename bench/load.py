"""Load test: simulated patients complete the whole self-check against gunicorn.

    python bench/load.py                      # SQLite, then PostgreSQL, 16 patients, 30 s each
    python bench/load.py --db sqlite --duration 10 --patients 8

For each database it migrates a fresh database, starts gunicorn (2 workers,
production settings, Redis cache) on 127.0.0.1, runs the patients until the
time is up (each finishes the journey it is on), stops gunicorn, then checks
the stored submissions against the completed journeys: nothing lost, nothing
doubled. About 1 in 10 journeys raises a red flag on the first step (the
questionnaire ends there); about 1 in 8 double-clicks the final submit (two
concurrent POSTs), which must still store one submission.

Exits 1 when any journey had an error or the counts differ. Figures go to
stdout and bench/out/load-<db>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_ADMIN_URL = os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
STEPS = ["safety", "symptoms", "feet", "duration", "contact"]
FIELD_RE = re.compile(r'name="(safety|symptoms|feet)-([a-z_]+)" value="yes"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RESULT_RE = re.compile(r"^/result/([A-Za-z0-9_-]+)/$")


class JourneyError(Exception):
    pass


@dataclass
class Stats:
    journeys: int = 0
    red_flag_exits: int = 0
    double_clicks: int = 0
    errors: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    latencies_ms: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Browser:
    """One patient's browser: its own cookies, a keep-alive connection, HTTPS as seen through a proxy."""

    def __init__(self, port: int, stats: Stats) -> None:
        self.port = port
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, str]:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            # gunicorn trusts this from 127.0.0.1, as it would from a TLS proxy in front of it.
            "X-Forwarded-Proto": "https",
            "User-Agent": "selfcheck-load/1",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        with self.stats.lock:
            self.stats.latencies_ms.append((time.perf_counter() - started) * 1000)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        location = urlsplit(response.getheader("Location", "")).path
        return response.status, location, text

    def expect(self, method: str, path: str, status: int, body: str | None = None) -> tuple[str, str]:
        code, location, text = self.request(method, path, body)
        if code != status:
            raise JourneyError(f"{method} {path}: expected {status}, got {code}")
        return location, text


def form_body(fields: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(fields)


def journey(browser: Browser, rng: random.Random) -> None:
    browser.cookies.clear()  # a new patient each time
    browser.expect("GET", "/", 200)
    location, _ = browser.expect("GET", "/check/?reset=1", 302)
    red_flag = rng.random() < 0.10
    double_click = not red_flag and rng.random() < 0.125
    for index, step in enumerate(STEPS):
        _, page = browser.expect("GET", f"/check/{step}/", 200)
        csrf = CSRF_RE.search(page).group(1)
        fields = {"csrfmiddlewaretoken": csrf, "self_check_wizard-current_step": step}
        codes = [code for prefix, code in FIELD_RE.findall(page) if prefix == step]
        if step == "safety":
            flagged = {rng.choice(codes)} if red_flag else set()
            fields.update({f"safety-{c}": "yes" if c in flagged else "no" for c in codes})
        elif step in {"symptoms", "feet"}:
            fields.update({f"{step}-{c}": rng.choice(["yes", "no"]) for c in codes})
        elif step == "duration":
            fields["duration-pain_duration"] = rng.choice(["under_6_weeks", "6_to_12_weeks", "over_12_weeks"])
            fields["duration-pain_intensity"] = str(rng.randint(0, 10))
        elif step == "contact" and rng.random() < 0.3:
            fields.update(
                {
                    "contact-contact_consent": "on",
                    "contact-contact_name": "Load Test",
                    "contact-contact_phone": "021 000 0000",
                }
            )
        body = form_body(fields)
        last = step == STEPS[-1] or red_flag
        if last and double_click:
            location = double_submit(browser, f"/check/{step}/", body)
        else:
            location, _ = browser.expect("POST", f"/check/{step}/", 302, body)
        if last:
            break
        expected = f"/check/{STEPS[index + 1]}/"
        if location != expected:
            raise JourneyError(f"POST {step}: redirected to {location}, expected {expected}")
    match = RESULT_RE.match(location)
    if not match:
        raise JourneyError(f"final POST redirected to {location}, not a result")
    _, page = browser.expect("GET", location, 200)
    if "Your reference" not in page:
        raise JourneyError("result page without a reference")
    with browser.stats.lock:
        browser.stats.journeys += 1
        browser.stats.red_flag_exits += red_flag
        browser.stats.double_clicks += double_click
        if match.group(1) in browser.stats.tokens:
            raise JourneyError("two journeys got the same result")
        browser.stats.tokens.add(match.group(1))


def double_submit(browser: Browser, path: str, body: str) -> str:
    """Two POSTs of the final step at once, as a double click sends them."""
    twin = Browser(browser.port, browser.stats)
    twin.cookies = dict(browser.cookies)
    results: list = [None, None]

    def send(slot: int, who: Browser) -> None:
        try:
            results[slot] = who.request("POST", path, body)
        except Exception as error:  # reported below
            results[slot] = error

    threads = [threading.Thread(target=send, args=(0, browser)), threading.Thread(target=send, args=(1, twin))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, Exception) or result[0] != 302:
            raise JourneyError(f"double-clicked submit: {result!r:.200}")
    locations = {result[1] for result in results}
    if len(locations) != 1:
        raise JourneyError(f"double-clicked submit went to two places: {locations}")
    return locations.pop()


def patient(port: int, deadline: float, stats: Stats, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(port, stats)
    while time.monotonic() < deadline:
        try:
            journey(browser, rng)
        except Exception as error:
            with stats.lock:
                stats.errors.append(f"{type(error).__name__}: {error}")


def pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL + "/postgres", autocommit=True) as connection:
        connection.execute(statement)


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz", headers={"Host": f"127.0.0.1:{port}"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on port {port} within {timeout} s")


def run(db: str, *, port: int, patients: int, duration: float, workers: int) -> dict:
    run_id = f"{os.getpid()}_{secrets.token_hex(3)}"
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"load-{run_id}",
        # All simulated patients share 127.0.0.1: the per-IP limit would stop them.
        "TRIAGE_SUBMISSIONS_PER_HOUR": "100000000",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": str(workers),
        # Red-flag emails are sent inline to a backend that discards them: the
        # notification log still records each one, and no task is left in Redis.
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "EMAIL_URL": "dummy:",
    }
    workdir = ROOT / "bench" / "out"
    workdir.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        database = workdir / f"load-{run_id}.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{database}"
    else:
        name = f"load_clinic_{run_id}"
        pg_admin(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"{PG_ADMIN_URL}/{name}"
    gunicorn = None
    try:
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        gunicorn = subprocess.Popen(
            [GUNICORN, "clinic_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(workdir / f"load-{db}-gunicorn.log", "w"),  # noqa: SIM115 (closed with the process)
        )
        wait_until_up(port, gunicorn)
        stats = Stats()
        started = time.monotonic()
        deadline = started + duration
        threads = [threading.Thread(target=patient, args=(port, deadline, stats, seed)) for seed in range(patients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=duration + 120)
        elapsed = time.monotonic() - started
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        gunicorn = None
        count = "from triage.models import Submission; print(Submission.objects.count())"
        stored = int(manage(env, "shell", "--no-imports", "-c", count).split()[-1])
    finally:
        # Never leave a server or a database behind, even after a failure.
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        if db == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        else:
            pg_admin(f"DROP DATABASE IF EXISTS {name}")
    latencies = sorted(stats.latencies_ms)
    report = {
        "database": db,
        "patients": patients,
        "gunicorn_workers": workers,
        "seconds": round(elapsed, 1),
        "journeys_completed": stats.journeys,
        "red_flag_exits": stats.red_flag_exits,
        "double_clicked_submits": stats.double_clicks,
        "errors": len(stats.errors),
        "stored_submissions": stored,
        "lost_or_doubled": stored - stats.journeys,
        "journeys_per_second": round(stats.journeys / elapsed, 2),
        "requests": len(latencies),
        "latency_ms_p50": round(statistics.median(latencies), 1) if latencies else None,
        "latency_ms_p95": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
        "first_errors": stats.errors[:5],
    }
    (workdir / f"load-{db}.json").write_text(json.dumps(report, indent=2))
    return report


def preflight(*, postgres: bool) -> None:
    """Say clearly what is missing rather than failing half-way with a traceback."""
    import psycopg
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        raise SystemExit(f"load: Redis does not answer at {REDIS_URL} (set REDIS_URL): {error}") from None
    if postgres:
        try:
            psycopg.connect(PG_ADMIN_URL + "/postgres", connect_timeout=2).close()
        except psycopg.Error as error:
            raise SystemExit(f"load: PostgreSQL does not answer at {PG_ADMIN_URL} (set LOAD_PG_URL): {error}") from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--patients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per database (max 300)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8100)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    args = parser.parse_args()
    duration = min(args.duration, 300.0)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    preflight(postgres="postgres" in databases)
    ok = True
    for db in databases:
        report = run(db, port=args.port, patients=args.patients, duration=duration, workers=args.workers)
        print(json.dumps(report, indent=2))
        passed = report["errors"] == 0 and report["lost_or_doubled"] == 0 and report["journeys_completed"] > 0
        print(
            f"== {db}: {report['journeys_completed']} journeys in {report['seconds']} s, "
            f"{report['errors']} errors, {report['stored_submissions']} stored "
            f"({report['lost_or_doubled']:+d} lost/doubled): {'OK' if passed else 'FAILED'}"
        )
        ok = ok and passed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
