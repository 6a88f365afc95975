"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

No browser is ever downloaded: Playwright launches /usr/bin/chromium
(`apt-get install chromium`; `make test` installs it when missing).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from tests.conftest import content_seed
from triage.models import Question, RulesetVersion

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module", autouse=True)
def _allow_sync_db_beside_playwright() -> Iterator[None]:
    # Playwright's sync API runs an event loop in the test thread; Django
    # would otherwise refuse the test's own database reads (and the live
    # server's flush) as "async unsafe". Set only while a browser module runs,
    # so it never leaks into later tests (check --deploy rightly refuses it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _clinical_content(transactional_db) -> None:
    """The seeded questions, conditions, clinics and rulesets 1 and 2, present for every browser test.

    A live-server test runs outside a transaction, so the database is flushed
    after it, taking the data migration's content with it. Serialized
    rollback (the marker on each module) should restore it, but it was seen
    not to when ordinary database tests ran first in the same session, so
    the seed is re-run when the content is missing. pytest-django runs these
    tests after all the transactional ones, so nothing later depends on it.
    """
    if not RulesetVersion.objects.exists() and not Question.objects.exists():
        content_seed(django_apps)


@pytest.fixture(autouse=True)
def _no_submission_rate_limit(settings) -> None:
    # Every journey here submits from 127.0.0.1, many times per session: the
    # per-IP limit is tested on its own, not tripped by the browser tests.
    settings.TRIAGE_SUBMISSION_RATE_LIMIT = (100_000, 3600)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}. Install Debian's package: "
            "apt-get update && apt-get install -y chromium (make test does this)."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, live_server) -> dict:
    return {**browser_context_args, "base_url": live_server.url, "viewport": PHONE}


@pytest.fixture
def nojs_page(browser, live_server):
    """A phone-sized page with JavaScript switched off (progressive enhancement)."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshots_enabled() -> bool:
    """`make screenshots` sets SAVE_SCREENSHOTS=1 to write PNGs into docs/screenshots/."""
    return os.environ.get("SAVE_SCREENSHOTS") == "1"
