"""Load from wrk (Debian's package) in its own process, replaying a request plan (bench/wrk.lua).

Each page's run is paired with a hello-world run just before it and the ratio
taken within the pair; ``throughput`` does the rounds, ``report`` the medians.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from .report import TARGETS, throughput_summary
from .scenarios import EXPECTED, Fixtures
from .server import ROOT, Gunicorn


def wrk(*, port: int, plan_file: Path, once: bool, duration: int, connections: int) -> dict:
    command = ["wrk", "--threads", "1", "--connections", str(connections), "--duration", f"{duration}s"]
    command += ["--timeout", "10s", "--script", str(ROOT / "bench" / "wrk.lua"), f"http://127.0.0.1:{port}"]
    command += ["--", str(plan_file)] + (["once"] if once else [])
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    stats = json.loads(line.removeprefix("WRK_JSON "))
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    return stats


def plan_write(path: Path, plan: list[tuple[str, str, str, str]]) -> Path:
    path.write_text("".join("\t".join(request) + "\n" for request in plan))
    return path


def run_scenario(name: str, fixtures: Fixtures, server: Gunicorn, config: dict, tmp: Path, hello_rps) -> dict:
    """One wrk run of one scenario, after checking its first request lands where it should."""
    from triage.models import Submission

    # A final submit uses each session once: enough for the whole run even
    # at hello-world speed, so the plan never runs out.
    needed = int((hello_rps or 500) * config["duration"] * 1.2) + 100 if name == "final_submit" else 0
    plan = fixtures.plan(name, needed)
    status, location = server.request(*plan[0])
    expected_status, expected_location = EXPECTED[name]
    if status != expected_status or (expected_location and expected_location not in location):
        raise RuntimeError(f"{name}: first request gave {status} {location!r}, not {EXPECTED[name]}")
    plan = plan[1:] if name == "final_submit" else plan  # that session is used up now
    plan_file = plan_write(tmp / f"{name}.plan", plan)
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
    rounds: dict[str, list[dict]] = {name: [] for name in ["hello", *TARGETS]}
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as tmp:
        # Warm up both workers (imports, compiled templates, parsed ruleset) before anything counts.
        for name in ("hello", "step_get", "step_post", "result_get") if config["warmup"] else ():
            plan_file = plan_write(Path(tmp) / f"warm-{name}.plan", fixtures.plan(name, 0))
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
    return throughput_summary(rounds)
