"""The contact step's separate check-in opt-in: unticked, and only with an email and consent to be contacted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.triage.test_views import journey, step_url
from triage import screens
from triage.forms import ContactForm
from triage.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def start(client):
    assert client.get(reverse("triage:check")).status_code == 302
    return client


AROHA = {"contact_consent": "on", "contact_name": "Aroha", "contact_email": "aroha@example.co.nz"}


def codes(**data) -> dict[str, list[str]]:
    form = ContactForm(data=data, clinics=[])
    form.is_valid()
    return {field: [e.code for e in errors] for field, errors in form.errors.as_data().items()}


def test_the_opt_in_is_its_own_box_and_starts_unticked(start, db_ruleset):
    journey(start, db_ruleset, upto=screens.ACTIVITY)
    page = start.get(step_url(screens.CONTACT)).content.decode()
    box = page.split('name="contact-followup_consent"', 1)[1].split(">", 1)[0]
    assert "checked" not in box
    assert "May we check how you are getting on in 6 and 12 weeks?" in page


def test_ticked_without_an_email_asks_for_the_email():
    assert codes(followup_consent="on", contact_consent="on", contact_name="Sam", contact_phone="021 123 4567") == {
        "contact_email": ["followup_needs_email"]
    }


def test_ticked_without_consent_to_be_contacted_asks_for_that_tick_too():
    assert codes(followup_consent="on") == {
        "contact_email": ["followup_needs_email"],
        "contact_consent": ["followup_needs_consent"],
    }


def test_a_bad_email_keeps_its_own_error():
    assert codes(followup_consent="on", **{**AROHA, "contact_email": "aroha@"}) == {"contact_email": ["invalid"]}


def test_with_an_email_and_consent_the_submission_records_the_opt_in_and_when(start, db_ruleset):
    response, _seen = journey(start, db_ruleset, contact={**AROHA, "followup_consent": "on"})
    assert response.status_code == 302 and "/result/" in response["Location"]
    submission = Submission.objects.get()
    assert submission.followup_consent and submission.followup_consent_at is not None
    assert submission.followup_unsubscribed_at is None


def test_without_the_tick_no_opt_in_is_recorded(start, db_ruleset):
    journey(start, db_ruleset, contact=AROHA)
    submission = Submission.objects.get()
    assert not submission.followup_consent and submission.followup_consent_at is None


def test_a_refused_opt_in_keeps_everything_typed(start, db_ruleset):
    typed = {"followup_consent": "on", "contact_consent": "on", "contact_name": "Sam", "contact_phone": "021 123 4567"}
    response, _seen = journey(start, db_ruleset, contact=typed)
    assert response["Location"] == step_url(screens.CONTACT)
    page = start.get(step_url(screens.CONTACT))
    assert page.context["form"].errors.as_data()["contact_email"][0].code == "followup_needs_email"
    html = page.content.decode()
    assert "Sam" in html and "021 123 4567" in html
    assert 'name="contact-followup_consent" id="id_contact-followup_consent" checked' in html
    assert not Submission.objects.exists()
