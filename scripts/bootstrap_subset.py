"""Write static/vendor/bootstrap/bootstrap.subset.min.css: Bootstrap without the rules this site never uses.

The full stylesheet is 227 KB, which alone would break the 100 KB page
budget before compression. A rule is kept when every class in its selector
can appear on a page: in a class attribute of our templates or crispy-forms'
templates, in crispy-forms' Python, in our JavaScript, or as a widget class in
our forms. A class assembled at run time must be listed in EXTRA_CLASSES.

    .venv/bin/python scripts/bootstrap_subset.py          # rewrite the subset
    .venv/bin/python scripts/bootstrap_subset.py --check  # exit 1 if it is stale

tests/scripts/test_bootstrap_subset.py runs the check, so a template using a new
Bootstrap class fails the suite until the subset is rebuilt.
"""

from __future__ import annotations

import re
import sys
import sysconfig
from pathlib import Path

import tinycss2

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "static/vendor/bootstrap/bootstrap.min.css"
TARGET = ROOT / "static/vendor/bootstrap/bootstrap.subset.min.css"
# Classes assembled at run time, which no file spells out whole.
EXTRA_CLASSES = {"alert-info", "alert-success", "alert-warning", "alert-danger", "alert-debug"}
HEADER = (
    "/*! Bootstrap v5.3.9 (https://getbootstrap.com/), MIT licence (see LICENSE): only the rules this site uses. "
    "Made by scripts/bootstrap_subset.py from bootstrap.min.css; do not edit. */\n"
)
CLASS_RE = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
NOT_RE = re.compile(r":not\([^()]*(\([^()]*\)[^()]*)*\)")


CLASS_ATTR_RE = re.compile(r"""class="([^"]*)"|class='([^']*)'""")
PY_CLASS_RE = re.compile(r"""["'](?:class|css_class|field_class|wrapper_class)["']\s*:\s*["']([^"']*)["']""")
WORD_RE = re.compile(r"[A-Za-z][\w-]*")


def used_words() -> set[str]:
    """Every word that can end up in a class attribute of a page.

    Only class attributes are read from our templates, so rewording a page
    never changes the subset; crispy-forms' files and our JavaScript (which
    toggles classes) are read whole.
    """
    site = Path(sysconfig.get_paths()["purelib"])
    words = set(EXTRA_CLASSES)
    # crispy-forms passes classes through template tags and Python as well as
    # attributes: read its files whole (they change only with its version).
    for package in ("crispy_bootstrap5", "crispy_forms"):
        for path in [*(site / package / "templates").rglob("*.html"), *(site / package).glob("*.py")]:
            words.update(WORD_RE.findall(path.read_text(errors="ignore")))
    for path in (ROOT / "templates").rglob("*.html"):
        for pair in CLASS_ATTR_RE.findall(path.read_text(errors="ignore")):
            words.update(WORD_RE.findall(" ".join(pair)))
    for path in (ROOT / "static/js").glob("*.js"):
        words.update(WORD_RE.findall(path.read_text(errors="ignore")))
    for app in ("triage", "booking"):
        for path in (ROOT / app).glob("*.py"):
            for value in PY_CLASS_RE.findall(path.read_text(errors="ignore")):
                words.update(WORD_RE.findall(value))
    return words


def _keep(selector: str, words: set[str]) -> bool:
    # Classes inside :not() narrow a rule; an unused one there must not drop it.
    return all(name in words for name in CLASS_RE.findall(NOT_RE.sub("", selector)))


def _filter(rules: list, words: set[str]) -> list[str]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",") if _keep(s, words)]
            if kept:
                out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "container", "layer"):
            children = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            inner = _filter(children, words)
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}{{{''.join(inner)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "keyframes":
            if tinycss2.serialize(rule.prelude).strip() in words:
                out.append(tinycss2.serialize([rule]))
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]))
    return out


def build() -> str:
    rules = tinycss2.parse_stylesheet(SOURCE.read_text(), skip_comments=True, skip_whitespace=True)
    return HEADER + "".join(_filter(rules, used_words())) + "\n"


def main(argv: list[str]) -> int:
    css = build()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text() != css:
            print(f"{TARGET.relative_to(ROOT)} is stale: run .venv/bin/python scripts/bootstrap_subset.py")
            return 1
        return 0
    TARGET.write_text(css)
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(css.encode()):,} bytes (from {SOURCE.stat().st_size:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
