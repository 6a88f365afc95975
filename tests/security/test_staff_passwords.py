"""Staff passwords and sign-in lockout (ASVS 2.1, 2.2): length over rules, and no password spraying."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def error_codes(password: str) -> set[str]:
    try:
        validate_password(password)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_a_password_under_twelve_characters_is_refused():
    assert "password_too_short" in error_codes("kea-tui-7Q!")  # 11 characters


def test_a_common_password_is_refused_even_when_long_enough():
    assert "password_too_common" in error_codes("password1234")


def test_a_long_passphrase_of_plain_lowercase_words_is_accepted_without_composition_rules():
    assert error_codes("kowhai tree by the harbour") == set()
    assert error_codes("482915736051") == set()  # digits only: no "must contain a letter" rule


def sign_in(client: Client, username: str, password: str, ip: str):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def ten_staff(settings, django_user_model):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    names = [f"staff{n}" for n in range(10)]
    for name in names:
        django_user_model.objects.create_user(name, password=f"{name}-own-long-password", is_staff=True)
    return names


def test_one_password_tried_against_ten_user_names_from_one_address_gets_locked(ten_staff):
    statuses = [sign_in(Client(), name, "Summer2026!", ip="203.0.113.9").status_code for name in ten_staff]
    assert statuses[:4] == [200] * 4  # the normal "try again" form
    assert set(statuses[5:]) == {429}
    # The address stays locked, even for a right password of an account it never tried.
    assert sign_in(Client(), "staff9", "staff9-own-long-password", ip="203.0.113.9").status_code == 429
    # Another address is not affected.
    assert sign_in(Client(), "staff9", "staff9-own-long-password", ip="198.51.100.20").status_code == 302
