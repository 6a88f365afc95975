"""Imports run one way: clinic_site -> {review, booking, api, interop} -> followups -> notifications -> triage -> audit.

Every module of the project's apps (migrations and tests aside) is parsed, and
each import of another project app is checked against the layers below. An
app may import itself and anything in a lower layer; clinic_site, the top,
composes the rest and may import anything. Apps in the same layer are
siblings and may not import each other, unless listed in SIBLING_EXCEPTIONS
with the reason. A new app is one line in LAYERS.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# App -> layer: higher layers may import lower ones, never the reverse.
LAYERS = {
    "clinic_site": 3,
    "review": 2,
    "booking": 2,
    "api": 2,
    "interop": 2,
    # Emails about submissions and booking requests: booking calls it; it reads
    # triage and hears of new submissions through triage's signal.
    "notifications": 1.5,
    # Follow-up check-ins: emails through notifications, about triage's
    # submissions; review, interop and the API show them.
    "followups": 1.75,
    "triage": 1,
    "audit": 0,
}

# (importer, imported) -> why this sibling import is allowed. The FHIR action
# reaches review's admin through settings, not an import.
SIBLING_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("review", "booking"): (
        "the clinic's call list and a submission's page show its booking requests "
        "(review reads booking's models; booking never imports review)"
    ),
}


def imported_apps(source: str, *, app: str) -> set[str]:
    """The project apps a module's source imports (anywhere in it, not only at the top)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # A relative import stays inside its own package: the app itself.
            names = [app] if node.level else [node.module or ""]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & LAYERS.keys()
    return found


def allowed(importer: str, imported: str) -> bool:
    if importer == imported or importer == "clinic_site":
        return True
    if (importer, imported) in SIBLING_EXCEPTIONS:
        return True
    return LAYERS[imported] < LAYERS[importer]


def app_modules(app: str) -> list[Path]:
    return sorted(
        path for path in (ROOT / app).rglob("*.py") if not {"migrations", "tests"} & set(path.relative_to(ROOT).parts)
    )


@pytest.mark.parametrize("app", sorted(LAYERS))
def test_no_module_imports_against_the_arrows(app):
    wrong = [
        f"{path.relative_to(ROOT)} imports {imported}"
        for path in app_modules(app)
        for imported in sorted(imported_apps(path.read_text(), app=app))
        if not allowed(app, imported)
    ]
    assert wrong == []


def test_every_project_app_has_a_layer():
    """A new app must be placed in LAYERS, or its imports would go unchecked."""
    project_apps = {name for name in settings.INSTALLED_APPS if (ROOT / name / "__init__.py").exists()}
    assert project_apps | {"clinic_site"} == set(LAYERS)


def test_every_app_listed_has_modules_to_check():
    assert all(app_modules(app) for app in LAYERS)


@pytest.mark.parametrize(
    ("importer", "source", "wrong"),
    [
        ("triage", "from review.models import Note", {"review"}),
        ("triage", "def f():\n    import interop.admin", {"interop"}),
        ("audit", "from triage import models", {"triage"}),
        ("review", "from interop.http import fhir_response", {"interop"}),
        ("booking", "from api import views", {"api"}),
        # review may read booking (SIBLING_EXCEPTIONS), never the other way round.
        ("booking", "from review.selectors import queue", {"review"}),
    ],
)
def test_the_check_catches_imports_upwards_and_between_siblings(importer, source, wrong):
    found = imported_apps(source, app=importer)
    assert {imported for imported in found if not allowed(importer, imported)} == wrong


@pytest.mark.parametrize(
    ("importer", "source"),
    [
        ("review", "from triage.models import Submission\nfrom audit.actor import Actor"),
        ("triage", "from . import scoring\nfrom .models import Clinic"),
        ("clinic_site", "from interop import urls\nfrom review import admin"),
        ("review", "import django.contrib.admin\nfrom reviewer import x"),
    ],
)
def test_the_check_allows_imports_downwards_of_itself_and_from_the_top(importer, source):
    assert all(allowed(importer, imported) for imported in imported_apps(source, app=importer))
