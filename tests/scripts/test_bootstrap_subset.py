"""The trimmed Bootstrap the pages load is rebuilt whenever the markup changes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bootstrap_subset.py"


def load_script():
    spec = importlib.util.spec_from_file_location("bootstrap_subset", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bootstrap_subset_matches_the_current_templates():
    script = load_script()
    assert script.TARGET.read_text() == script.build(), "run: .venv/bin/python scripts/bootstrap_subset.py"


def test_the_subset_keeps_what_the_pages_use_and_drops_the_rest():
    css = load_script().TARGET.read_text()
    for selector in (".btn-primary", ".form-check-input", ".visually-hidden", ".alert-warning", ".container"):
        assert selector in css
    for unused in (".navbar", ".offcanvas", ".toast", ".popover", ".pagination", ".spinner-border"):
        assert unused not in css
    assert len(css.encode()) < 60_000
