"""What the benchmark sends: questionnaire sessions made in-process, and request plans for wrk.

Steps are requested with real questionnaire sessions: one is made through the
wizard with Django's test client, then copied in the database, each copy with
its own run id, so every final submit is a fresh questionnaire run.
Needs Django set up against the bench database.
"""

from __future__ import annotations

import os
import secrets

CSRF_SECRET = "b" * 32  # a fixed CSRF cookie for the load: its value is irrelevant to speed
# The screen the step scenarios load: where it hurts (the checklist with the body
# diagram, the heaviest questionnaire screen), answered with groin pain.
STEP = "where"


class Fixtures:
    """Questionnaire sessions and result links, made in-process in the bench database."""

    def __init__(self) -> None:
        from django.test import Client

        from triage import screens, selectors
        from triage.models import Clinic, Submission

        self.ruleset = selectors.ruleset_get()
        self.clinic_id = Clinic.objects.values_list("pk", flat=True).first()
        self.tokens = list(Submission.objects.values_list("token", flat=True)[:50])
        self.yes = {"groin_pain", "clicking_catching", "pain_deep_flexion_twisting", "flat_feet", "uneven_shoe_wear"}
        self.screens = {screen.name: screen for screen in screens.screens_for(self.ruleset)}
        self.client_class = Client

    def body(self, step: str) -> dict[str, str | list[str]]:
        """What a person with groin pain posts on ``step`` (a screen of triage.screens)."""
        from triage import screens

        screen = self.screens[step]
        if step == screens.DURATION:
            data = {"pain_duration": "6_to_12_weeks"}
        elif step == screens.INTENSITY:
            data = {"pain_intensity": "6"}
        elif step in (screens.ENJOYMENT, screens.ACTIVITY):
            data = {f"{step}_interference": "4"}
        elif step == screens.CONTACT:
            data = {"clinic": str(self.clinic_id)}
        elif screen.form_class.__name__ == "ChecklistForm":
            data = {"ticked": [q.code for q in screen.questions if q.code in self.yes] or ["none"]}
        else:
            data = {q.code: "yes" if q.code in self.yes else "no" for q in screen.questions}
        body = {f"{step}-{key}": value for key, value in data.items()}
        body["self_check_wizard-current_step"] = step
        return body

    def client_at(self, step: str):
        """A client whose questionnaire has every screen before ``step`` answered."""
        client = self.client_class()
        location = client.get("/check/")["Location"]
        while location != f"/check/{step}/":
            earlier = location.strip("/").rsplit("/", 1)[-1]
            response = client.post(location, self.body(earlier))
            assert response.status_code == 302 and "/check/" in response["Location"], (earlier, response.status_code)
            location = response["Location"]
        return client

    def query_counts(self) -> dict[str, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from triage.selectors import recent_reads_forget

        def count(call) -> int:
            # Counted cold: the ruleset number and the clinic list are read again, as a quiet worker would.
            recent_reads_forget()
            with CaptureQueriesContext(connection) as queries:
                response = call()
            assert response.status_code in (200, 302), response.status_code
            return len(queries)

        client = self.client_at(STEP)
        counts = {
            "step_get": count(lambda: client.get(f"/check/{STEP}/")),
            "step_post": count(lambda: client.post(f"/check/{STEP}/", self.body(STEP))),
        }
        client = self.client_at("contact")
        counts["final_submit"] = count(lambda: client.post("/check/contact/", self.body("contact")))
        # A result opens only in the session that made it: this client's own.
        from triage.selectors import RESULT_TOKENS_SESSION_KEY

        own = client.session[RESULT_TOKENS_SESSION_KEY][-1]
        counts["result_get"] = count(lambda: client.get(f"/result/{own}/"))
        return counts

    def result_cookie(self) -> str:
        """A session that owns every benchmark token, as if it had made those results."""
        from django.conf import settings

        from triage.selectors import RESULT_TOKENS_SESSION_KEY
        from triage.sessions import SessionStore

        store = SessionStore()
        store[RESULT_TOKENS_SESSION_KEY] = self.tokens
        store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    def session_cookies(self, step: str, count: int) -> list[str]:
        """``count`` sessions stopped at ``step``: copies of one real one, each its own questionnaire run."""
        from django.conf import settings
        from django.contrib.sessions.models import Session

        from triage.sessions import SessionStore
        from triage.views import RUN_ID_KEY

        client = self.client_at(step)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        template = Session.objects.get(session_key=key)
        data = SessionStore().decode(template.session_data)
        wizard_key = next(k for k in data if k.startswith("wizard_"))
        rows, cookies = [], []
        for _ in range(count):
            data[wizard_key]["extra_data"] = {RUN_ID_KEY: secrets.token_hex(16)}
            session_key = secrets.token_hex(16)
            rows.append(
                Session(
                    session_key=session_key,
                    session_data=SessionStore().encode(data),
                    expire_date=template.expire_date,
                )
            )
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}")
        Session.objects.bulk_create(rows, batch_size=500)
        return cookies

    def plan(self, scenario: str, count: int) -> list[tuple[str, str, str, str]]:
        from urllib.parse import urlencode

        if scenario == "hello":
            return [("GET", "/bench/hello/", "", "")]
        if scenario == "result_get":
            cookie = self.result_cookie()
            return [("GET", f"/result/{token}/", cookie, "") for token in self.tokens]
        if scenario == "step_get":
            return [("GET", f"/check/{STEP}/", cookie, "") for cookie in self.session_cookies(STEP, 20)]
        body = {"csrfmiddlewaretoken": CSRF_SECRET}
        if scenario == "step_post":
            body.update(self.body(STEP))
            return [("POST", f"/check/{STEP}/", c, urlencode(body, doseq=True)) for c in self.session_cookies(STEP, 20)]
        if scenario == "final_submit":
            body.update(self.body("contact"))
            return [("POST", "/check/contact/", c, urlencode(body)) for c in self.session_cookies("contact", count)]
        raise ValueError(scenario)


# Where each scenario's first request must land, checked before any load: a
# benchmark of an error page or a redirect back to step 1 would be meaningless.
EXPECTED = {
    "hello": (200, None),
    "step_get": (200, None),
    "step_post": (302, "/check/more_hip/"),
    "final_submit": (302, "/result/"),
    "result_get": (200, None),
}


def inprocess_setup(database_url: str, *, submissions: int = 50) -> Fixtures:
    """Django set up with the bench settings on a new database, migrated and seeded; the fixtures."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", submissions=submissions, seed=1, verbosity=0)
    return Fixtures()


def plan_send(client, method: str, path: str, cookie: str, body: str):
    """One planned request through Django's test client (in-process), with the plan's cookies."""
    client.cookies.clear()
    for part in filter(None, cookie.split("; ")):
        name, value = part.split("=", 1)
        client.cookies[name] = value
    if method == "GET":
        response = client.get(path)
    else:
        response = client.generic("POST", path, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302), (path, response.status_code)
    return response
