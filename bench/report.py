"""The figures: targets, ratios to hello-world, results.json and the printed table."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0].strip(),  # noqa: S607
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def throughput_summary(rounds: dict[str, list[dict]]) -> dict:
    """Each scenario's medians over the rounds: throughput, worker CPU, and the ratios to hello-world."""
    summary = {}
    for name, runs in rounds.items():
        ratio = statistics.median(s.get("ratio", 1.0) for s in runs)
        cpu_ratios = [s["cpu_ratio"] for s in runs if s.get("cpu_ratio")]
        summary[name] = {
            "rps_median": statistics.median(s["rps"] for s in runs),
            "worker_cpu_ms_median": statistics.median(s["worker_cpu_ms"] for s in runs),
            "cpu_ratio_median": statistics.median(cpu_ratios) if cpu_ratios else None,
            "ratio_median": ratio,
            "target": TARGETS.get(name),
            "ok": ratio >= TARGETS[name] if name in TARGETS else None,
            "errors": sum(s["status_errors"] + s["socket_errors"] for s in runs),
            "rounds": runs,
        }
    return summary


def results_write(*, path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n")


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def _backend_rows(backend: str, r: dict) -> list[tuple[str, str, str, str, str]]:
    hello = r["throughput"]["hello"]
    yardstick = f"{hello['rps_median']:.0f} req/s, {hello['worker_cpu_ms_median']:.2f} ms CPU/req"
    rows = [(backend, "hello-world", yardstick, "(yardstick)", "")]
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
    a = r["admin_changelist"]
    for size, at_size in a["sizes"].items():
        value = f"{at_size['median_ms']:.1f} ms, {at_size['queries']} queries"
        rows.append((backend, f"admin changelist @{size}", value, "", ""))
    same = "same query count" if a["same_queries"] else "query count grows"
    rows.append((backend, "admin changelist", same, f"<= {ADMIN_TARGET_MS:.0f} ms, same queries", mark(a["ok"])))
    for pid, rss in r["rss_mb_per_worker"].items():
        rows.append((backend, f"RSS worker {pid}", f"{rss:.1f} MB", "", ""))
    return rows


def table_print(results: dict) -> None:
    rows = []
    for backend, r in results["backends"].items():
        rows += [(backend, "(skipped)", r["skipped"], "", "")] if "skipped" in r else _backend_rows(backend, r)
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    header = ("backend", "figure", "value", "target", "")
    print()
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def load_report(
    *, database: str, patients: int, workers: int, elapsed: float, stats, stored: int, emails: dict
) -> dict:
    """``make load``'s figures for one database: journeys, errors, lost or doubled submissions, latency,
    and the emails the run sent (bench/emails.py: by kind and status, one per event)."""
    latencies = sorted(stats.latencies_ms)
    return {
        "database": database,
        "patients": patients,
        "gunicorn_workers": workers,
        "seconds": round(elapsed, 1),
        "journeys_completed": stats.journeys,
        "red_flag_exits": stats.red_flag_exits,
        "double_clicked_submits": stats.double_clicks,
        "booking_requests": stats.booking_requests,
        "double_clicked_booking_requests": stats.booking_double_clicks,
        "api_red_flags_with_consent": stats.api_red_flags_with_consent,
        "errors": len(stats.errors),
        "stored_submissions": stored,
        "lost_or_doubled": stored - stats.journeys,
        "journeys_per_second": round(stats.journeys / elapsed, 2),
        "requests": len(latencies),
        "latency_ms_p50": round(statistics.median(latencies), 1) if latencies else None,
        "latency_ms_p95": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
        "emails": emails,
        "first_errors": stats.errors[:5],
    }


def load_passed(figures: dict) -> bool:
    """No journey failed, every completed one stored once, and every event got exactly one email, sent."""
    return (
        figures["errors"] == 0
        and figures["lost_or_doubled"] == 0
        and figures["journeys_completed"] > 0
        and figures["emails"]["ok"]
    )
