"""Simulated patients for ``make load``: each completes the whole self-check as a browser would.

About 1 in 10 journeys raises a red flag on the first step (the questionnaire
ends there); about 1 in 8 double-clicks the final submit (two concurrent
POSTs), which must still store one submission.

The journeys that send email (bench/load.py counts the notification log
against them): about 1 in 3 "book an assessment" results asks for an
appointment on the booking form (half of them give an email address, which
gets a confirmation too; 1 in 5 double-click "Send my request", which must
still make one request and one set of emails). A red flag in the questionnaire
ends it before the contact step, so a red flag with consent to be contacted
comes through the JSON API, as a kiosk sends one: about 1 in 20 journeys
(see red_flag_api_submit), each one email to the clinic.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

# The screens come from the questions (triage/screens.py): a patient reads each one's fields from the page.
CHECKLIST_RE = re.compile(r'name="([a-z_]+)-ticked" value="([a-z_]+)"')
YES_NO_RE = re.compile(r'name="([a-z_]+-[a-z_]+)" value="yes"')
SCALE_RE = re.compile(r'name="([a-z_]+-(?:pain_duration|pain_intensity|enjoyment_interference|activity_interference))"')
DURATIONS = ["under_6_weeks", "6_to_12_weeks", "over_12_weeks"]
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RESULT_RE = re.compile(r"^/result/([A-Za-z0-9_-]+)/$")
CLINIC_RE = re.compile(r'name="clinic" value="([0-9]+)"')
BOOKING_DAY_RE = re.compile(r'name="preferred_days" value="([a-z]+)"')
BOOKING_TIME_RE = re.compile(r'name="preferred_times" value="([a-z]+)"')

BOOKING_RATE = 0.35  # of the "book an assessment" results
BOOKING_DOUBLE_CLICK_RATE = 0.2
API_RED_FLAG_RATE = 0.05  # of all journeys
API_SUBMISSIONS = "/api/v1/submissions"
# Emergency signs of the published content (the API refuses unknown codes with a 422,
# so a renamed question shows as errors here rather than as a quiet non-red-flag).
RED_FLAG_CODES = ("both_legs_symptoms", "fever_unwell", "night_pain_unrelenting")
RED_FLAG_RESULTS = ("emergency", "see_doctor_today")


class JourneyError(Exception):
    pass


@dataclass
class Stats:
    journeys: int = 0
    red_flag_exits: int = 0
    double_clicks: int = 0
    # The events that send email, as the patients saw them succeed.
    booking_requests: int = 0
    booking_requests_with_email: int = 0
    booking_double_clicks: int = 0
    api_red_flags_with_consent: int = 0
    errors: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    latencies_ms: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Browser:
    """One patient's browser: its own cookies, a keep-alive connection, HTTPS as seen through a proxy."""

    def __init__(self, port: int, stats: Stats) -> None:
        self.port = port
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(
        self, method: str, path: str, body: str | None = None, content_type: str = "application/x-www-form-urlencoded"
    ) -> tuple[int, str, str]:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            # gunicorn trusts this from 127.0.0.1, as it would from a TLS proxy in front of it.
            "X-Forwarded-Proto": "https",
            "User-Agent": "selfcheck-load/1",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            if content_type != "application/json":  # a browser's form post; an API client sends no Origin
                headers["Origin"] = self.origin
                headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        with self.stats.lock:
            self.stats.latencies_ms.append((time.perf_counter() - started) * 1000)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        location = urlsplit(response.getheader("Location", "")).path
        return response.status, location, text

    def expect_json(self, method: str, path: str, status: int, body: str) -> tuple[int, str, str]:
        code, location, text = self.request(method, path, body, content_type="application/json")
        if code != status:
            raise JourneyError(f"{method} {path}: expected {status}, got {code}: {text[:200]}")
        return code, location, text

    def expect(self, method: str, path: str, status: int, body: str | None = None) -> tuple[str, str]:
        code, location, text = self.request(method, path, body)
        if code != status:
            raise JourneyError(f"{method} {path}: expected {status}, got {code}")
        return location, text


def screen_fields(step: str, page: str, rng: random.Random, red_flag: bool) -> list[tuple[str, str]]:
    """What this patient answers on the screen ``page`` shows."""
    fields: list[tuple[str, str]] = []
    items = [value for name, value in CHECKLIST_RE.findall(page) if name == step and value != "none"]
    if items:
        if step == "emergency":
            ticked = [rng.choice(items)] if red_flag else []
        elif step == "doctor":
            ticked = []
        else:
            ticked = [item for item in items if rng.random() < 0.3]
        fields += [(f"{step}-ticked", item) for item in ticked or ["none"]]
    for name in dict.fromkeys(YES_NO_RE.findall(page)):
        fields.append((name, rng.choice(["yes", "no"])))
    for name in dict.fromkeys(SCALE_RE.findall(page)):
        fields.append((name, rng.choice(DURATIONS) if name.endswith("pain_duration") else str(rng.randint(0, 10))))
    if step == "contact" and rng.random() < 0.3:
        fields += [
            ("contact-contact_consent", "on"),
            ("contact-contact_name", "Load Test"),
            ("contact-contact_phone", "021 000 0000"),
        ]
    return fields


def journey(browser: Browser, rng: random.Random) -> None:
    browser.cookies.clear()  # a new patient each time
    if rng.random() < API_RED_FLAG_RATE:
        red_flag_api_submit(browser, rng)
        return
    browser.expect("GET", "/", 200)
    location, _ = browser.expect("GET", "/check/", 302)
    red_flag = rng.random() < 0.10
    double_click = not red_flag and rng.random() < 0.125
    while location.startswith("/check/"):
        step = location.strip("/").rsplit("/", 1)[-1]
        _, page = browser.expect("GET", location, 200)
        csrf = CSRF_RE.search(page).group(1)
        fields = [("csrfmiddlewaretoken", csrf), ("self_check_wizard-current_step", step)]
        fields += screen_fields(step, page, rng, red_flag)
        body = urlencode(fields)
        if step == "contact" and double_click:
            location = double_submit(browser, location, body)
        else:
            posted = location
            location, _ = browser.expect("POST", location, 302, body)
            if location == posted:
                raise JourneyError(f"POST {step}: the answers were refused")
    match = RESULT_RE.match(location)
    if not match:
        raise JourneyError(f"final POST redirected to {location}, not a result")
    _, page = browser.expect("GET", location, 200)
    if "Your reference" not in page:
        raise JourneyError("result page without a reference")
    book_path = f"{location}book/"
    if f'href="{book_path}"' in page and rng.random() < BOOKING_RATE:
        booking_request(browser, book_path, rng)
    with browser.stats.lock:
        browser.stats.journeys += 1
        browser.stats.red_flag_exits += red_flag
        browser.stats.double_clicks += double_click
        if match.group(1) in browser.stats.tokens:
            raise JourneyError("two journeys got the same result")
        browser.stats.tokens.add(match.group(1))


def booking_request(browser: Browser, path: str, rng: random.Random) -> None:
    """Ask for an appointment from the result: the form, its POST (maybe double-clicked), the confirmation."""
    _, page = browser.expect("GET", path, 200)
    clinics = CLINIC_RE.findall(page)
    days, times = BOOKING_DAY_RE.findall(page), BOOKING_TIME_RE.findall(page)
    if not (clinics and days and times):
        raise JourneyError("booking form without clinics, days or times to choose")
    with_email = rng.random() < 0.5
    fields = [
        ("csrfmiddlewaretoken", CSRF_RE.search(page).group(1)),
        ("clinic", rng.choice(clinics)),
        ("preferred_days", rng.choice(days)),
        ("preferred_times", rng.choice(times)),
        ("name", "Load Test"),
        ("phone", "021 000 0000"),
        ("email", "load.test@example.com" if with_email else ""),
        ("consent", "on"),
    ]
    body = urlencode(fields)
    double_click = rng.random() < BOOKING_DOUBLE_CLICK_RATE
    if double_click:
        location = double_submit(browser, path, body)
    else:
        location, _ = browser.expect("POST", path, 302, body)
    if location != f"{path}sent/":
        raise JourneyError(f"booking request went to {location or 'the form again'}, not its confirmation")
    _, page = browser.expect("GET", location, 200)
    with browser.stats.lock:
        browser.stats.booking_requests += 1
        browser.stats.booking_requests_with_email += with_email
        browser.stats.booking_double_clicks += double_click


def red_flag_api_submit(browser: Browser, rng: random.Random) -> None:
    """A red flag with consent to be contacted, sent as a kiosk would: one JSON POST to the API."""
    payload = {
        "answers": {rng.choice(RED_FLAG_CODES): True},
        "age": rng.randint(18, 90),
        "contact": {"name": "Load Test", "phone": "021 000 0000"},
    }
    _, _, text = browser.expect_json("POST", API_SUBMISSIONS, 201, json.dumps(payload))
    disposition = json.loads(text)["assessment"]["disposition"]
    if disposition not in RED_FLAG_RESULTS:
        raise JourneyError(f"red-flag answers scored {disposition!r} through the API")
    with browser.stats.lock:
        browser.stats.journeys += 1  # a stored submission like any other
        browser.stats.api_red_flags_with_consent += 1


def double_submit(browser: Browser, path: str, body: str) -> str:
    """Two POSTs of the final step at once, as a double click sends them."""
    twin = Browser(browser.port, browser.stats)
    twin.cookies = dict(browser.cookies)
    results: list = [None, None]

    def send(slot: int, who: Browser) -> None:
        try:
            results[slot] = who.request("POST", path, body)
        except Exception as error:  # reported below
            results[slot] = error

    threads = [threading.Thread(target=send, args=(0, browser)), threading.Thread(target=send, args=(1, twin))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, Exception) or result[0] != 302:
            raise JourneyError(f"double-clicked submit: {result!r:.200}")
    locations = {result[1] for result in results}
    if len(locations) != 1:
        raise JourneyError(f"double-clicked submit went to two places: {locations}")
    return locations.pop()


def patient(port: int, deadline: float, stats: Stats, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(port, stats)
    while time.monotonic() < deadline:
        try:
            journey(browser, rng)
        except Exception as error:
            with stats.lock:
                stats.errors.append(f"{type(error).__name__}: {error}")
