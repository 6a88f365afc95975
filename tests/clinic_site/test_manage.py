"""manage.py without a SECRET_KEY: code-only commands run, anything that could sign or send refuses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "DJANGO_TESTING", "SECRET_KEY"}}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_migrations_check_runs_without_a_secret_key():
    completed = manage("makemigrations", "--check", "--dry-run")
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "No changes detected" in completed.stdout


def test_a_command_that_signs_links_still_refuses_the_development_key():
    completed = manage("send_followups", "--dry-run")
    assert completed.returncode != 0
    assert "SECRET_KEY is not set" in completed.stderr
