"""``make bench`` still runs: one tiny round, so the benchmark cannot rot.

Asserts only that every figure is produced, never what it is: timings belong
to the benchmark, not the test suite.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_and_reports_every_figure(tmp_path):
    assert shutil.which("wrk"), "wrk is not installed: apt-get install wrk (make test and make bench do this)"
    out = tmp_path / "results.json"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--quick",
            "--backends",
            "sqlite",
            "--out",
            str(out),
            "--port-offset",
            "90",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = json.loads(out.read_text())["backends"]["sqlite"]
    throughput = result["throughput"]
    assert set(throughput) == {"hello", "step_get", "step_post", "final_submit", "result_get"}
    for name, figure in throughput.items():
        assert figure["rps_median"] > 0, name
        assert figure["errors"] == 0, (name, [(r["status_errors"], r["socket_errors"]) for r in figure["rounds"]])
    final = throughput["final_submit"]["rounds"][0]
    # Every final submit stored a new submission: none was a replay of a used session.
    assert final["stored"] >= final["requests"] > 0
    assert set(result["queries"]) == {"step_get", "step_post", "final_submit", "result_get"}
    assert all(isinstance(count, int) and count > 0 for count in result["queries"].values())
    assert result["score"]["median_us"] > 0
    assert len(result["admin_changelist"]["sizes"]) == 2
    assert len(result["rss_mb_per_worker"]) == 2
    assert "step_get" in completed.stdout  # the table was printed


def test_the_benchmark_lifts_every_questionnaire_rate_limit():
    """A limit left on makes later scenarios 429 pages, sooner on a faster machine: lift each one, new ones too."""
    import importlib

    from clinic_site import settings as site

    bench = importlib.import_module("bench.settings")
    limits = [name for name in dir(site) if name.startswith("TRIAGE_") and name.endswith("_RATE_LIMIT")]
    assert len(limits) >= 3
    for name in limits:
        assert getattr(bench, name)[0] >= 10**9, name


def test_the_section_timer_times_every_part_of_the_final_submit():
    """bench/sections.py, the investigation tool docs/benchmarks.md cites: it runs and times each part."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.sections", "final_submit", "--requests", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    from bench.sections import SECTIONS

    timed = {line[:36].rstrip() for line in completed.stdout.splitlines() if line.endswith(" ms")}
    # Read within the last second: the ruleset and clinics cost no query, but are still timed.
    assert {label for _module, _path, label in SECTIONS} <= timed
