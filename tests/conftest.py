from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from triage import scoring, selectors
from triage.selectors import RESULT_TOKENS_SESSION_KEY

SEED = importlib.import_module("triage.migrations.0002_seed_clinical_content")
BODY_REGIONS = importlib.import_module("triage.migrations.0005_question_body_region")
SECOND_RULESET = importlib.import_module("triage.migrations.0008_second_ruleset")


def content_seed(apps) -> None:
    """Seed the content as ``migrate`` leaves it: the seed, the body diagram's areas, then ruleset 2."""
    SEED.seed(apps, None)
    BODY_REGIONS.forwards(apps, None)
    SECOND_RULESET.publish_second_ruleset(apps, None)


EXAMPLES = json.loads((Path(__file__).parent / "data" / "triage_examples.json").read_text())["cases"]


def seed_ruleset() -> scoring.Ruleset:
    """The seeded clinical content as a Ruleset, built without a database."""
    questions = tuple(
        scoring.Question(
            code=code,
            kind=kind,
            group=group,
            text=text,
            help_text=help_text,
            summary=summary,
            prompts_assessment=prompts,
            advice=advice,
            order=order,
        )
        for order, code, kind, group, text, help_text, summary, prompts, advice in SEED.QUESTIONS
    )
    conditions = tuple(
        scoring.Condition(slug=slug, name=name, threshold=0.4, weights=tuple(weights.items()), order=order)
        for order, slug, name, _summary, _care, weights in SEED.CONDITIONS
    )
    return scoring.Ruleset(version=1, questions=questions, conditions=conditions)


@pytest.fixture(autouse=True)
def _fresh_ruleset_cache():
    # A rolled-back test can publish a different "version 2" than the next
    # test does; production never reuses a number, tests must forget them.
    selectors.ruleset_cache_clear()
    yield
    selectors.ruleset_cache_clear()


@pytest.fixture(scope="session")
def ruleset() -> scoring.Ruleset:
    return seed_ruleset()


@pytest.fixture
def db_ruleset(db) -> scoring.Ruleset:
    """The ruleset as published in the test database by the seed migration."""
    return selectors.ruleset_get()


def all_answers(ruleset: scoring.Ruleset, kinds: tuple[str, ...], yes: set[str] = frozenset()) -> dict[str, str]:
    return {q.code: "yes" if q.code in yes else "no" for q in ruleset.questions_of_kind(*kinds)}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty rate-limit counters (the local-memory cache outlives a test)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    # Never clear a shared Redis: other test runs (and the site) keep their keys there.
    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    yield


@pytest.fixture
def redis_cache(settings):
    """The real Redis as the default cache, under a key prefix of this test's own.

    Parallel runs never see each other's counters, and the keys are removed
    afterwards. Fails (never skips) when Redis does not answer.
    """
    import os
    import uuid

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"This test needs Redis at {url} (set TEST_REDIS_URL to point elsewhere): {error}")
    prefix = f"test-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    }
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def own_result(client, submission) -> None:
    """Let ``client``'s session open ``submission``'s result, as if it had just finished the questionnaire."""
    session = client.session
    session[RESULT_TOKENS_SESSION_KEY] = [*session.get(RESULT_TOKENS_SESSION_KEY, []), submission.token]
    session.save()
