"""Production never runs with the public development SECRET_KEY, whatever DJANGO_ENV says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNSET = {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG", "DJANGO_TESTING", "DJANGO_SETTINGS_MODULE"}


def manage_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "clinic_site.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("django_env", [None, "development", "staging", "test"])
def test_debug_off_and_no_secret_key_refuses_to_start_whatever_django_env_says(django_env):
    result = manage_check({"DJANGO_ENV": django_env} if django_env else {})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set and DEBUG is off: refusing to start with the development key" in result.stderr


def test_the_development_key_given_explicitly_is_refused_too():
    result = manage_check({"SECRET_KEY": "insecure-local-development-key-never-use-in-production"})
    assert result.returncode != 0
    assert "SECRET_KEY is the public development key" in result.stderr


def test_the_test_run_flag_does_not_excuse_production():
    result = manage_check({"DJANGO_ENV": "production", "DJANGO_TESTING": "1", "ALLOWED_HOSTS": "selfcheck.example.nz"})
    assert result.returncode != 0
    assert "DJANGO_ENV=production needs SECRET_KEY" in result.stderr


def test_make_run_with_debug_on_still_starts_without_a_key():
    result = manage_check({"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_debug_off_with_a_secret_key_starts():
    result = manage_check({"SECRET_KEY": "a-long-random-test-key-0b6f1d2c3e4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c"})
    assert result.returncode == 0, result.stderr
