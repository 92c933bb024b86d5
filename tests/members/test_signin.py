"""Sign-in limits (members.adapter): guessing stays limited, but a stranger cannot lock a member out."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from members.adapter import KNOWN_DEVICE_COOKIE, network_of
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.66"
OWNER_AT_HOME = "198.51.100.7"
NETWORK_MESSAGE = "Too many failed attempts from this network"
ACCOUNT_MESSAGE = "Too many failed attempts for this account"
ALTERNATIVES = "you can still sign in from a device you used before, or with a code sent by email"


@pytest.fixture(autouse=True)
def _site_language_after():
    """Pages asked in English leave English active in this thread (CookieLocaleMiddleware): put French back."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def rate_limits_on(settings):
    """tests/settings.py switches allauth's limits off; these tests need them, small enough to reach."""
    settings.ACCOUNT_RATE_LIMITS = {
        "login_failed": "4/m/ip,3/5m/key",
        "login_failed_network": "6/5m/key",
        "login_failed_known_device": "3/5m/key",
        "request_login_code": "20/m/ip,3/m/key",
    }


def english_client():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def sign_in(client, email, password, ip):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def signed_in(response):
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def errors(response):
    return " ".join(response.context["form"].non_field_errors())


def owner_device(resident):
    """The owner's own browser, where they signed in once before."""
    device = english_client()
    assert signed_in(sign_in(device, resident.email, PASSWORD, OWNER_AT_HOME))
    assert device.cookies[KNOWN_DEVICE_COOKIE].value
    device.post(reverse("account_logout"))
    return device


def test_a_strangers_failures_do_not_lock_the_owner_out_of_a_known_device(resident):
    device = owner_device(resident)
    stranger = english_client()
    for _ in range(3):
        assert "password" in errors(sign_in(stranger, resident.email, "wrong-guess", STRANGER))
    # The account is now limited for everyone else, the right password included: no guessing.
    refused = sign_in(stranger, resident.email, PASSWORD, STRANGER)
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    assert ACCOUNT_MESSAGE in errors(refused) and ALTERNATIVES in errors(refused)
    assert "Send me a sign-in code" in refused.text
    # The owner's own device is unaffected, even from the stranger's address.
    assert signed_in(sign_in(device, resident.email, PASSWORD, STRANGER))


def test_the_owner_gets_in_with_an_emailed_code_and_the_device_is_known_after(resident):
    stranger = english_client()
    for _ in range(4):
        sign_in(stranger, resident.email, "wrong-guess", STRANGER)
    new_device = english_client()
    assert ACCOUNT_MESSAGE in errors(sign_in(new_device, resident.email, PASSWORD, OWNER_AT_HOME))

    mail.outbox.clear()
    response = new_device.post(
        reverse("account_request_login_code"), {"email": resident.email}, REMOTE_ADDR=OWNER_AT_HOME
    )
    assert response.status_code == 302
    [message] = mail.outbox
    code = re.search(r"^\s*([A-Z0-9-]{6,12})\s*$", message.body, re.M).group(1)
    response = new_device.post(reverse("account_confirm_login_code"), {"code": code}, REMOTE_ADDR=OWNER_AT_HOME)
    assert signed_in(response)
    assert new_device.cookies[KNOWN_DEVICE_COOKIE].value

    # From now on the password works on this device despite the stranger's failures.
    new_device.post(reverse("account_logout"))
    assert signed_in(sign_in(new_device, resident.email, PASSWORD, OWNER_AT_HOME))


def test_failures_per_address_are_limited_whoever_they_target(make_user, resident):
    device = owner_device(resident)
    stranger = english_client()
    for n in range(4):
        assert "password" in errors(sign_in(stranger, f"someone{n}@example.fr", "guess", STRANGER))
    refused = sign_in(stranger, "someone-else@example.fr", "guess", STRANGER)
    assert NETWORK_MESSAGE in errors(refused) and ALTERNATIVES in errors(refused)
    # A member without a known device behind the same address is limited too...
    other = make_user("karim@example.fr", pseudonym="Karim")
    assert NETWORK_MESSAGE in errors(sign_in(english_client(), other.email, PASSWORD, STRANGER))
    # ...but not the owner on their own device, nor anyone from another network.
    assert signed_in(sign_in(device, resident.email, PASSWORD, STRANGER))
    assert signed_in(sign_in(english_client(), other.email, PASSWORD, "192.0.2.10"))


def test_failures_per_network_are_limited_across_its_addresses(make_user):
    member = make_user("karim@example.fr", pseudonym="Karim")
    stranger = english_client()
    for n in range(6):  # two failures from each of three addresses of one /24: under the per-address limit
        sign_in(stranger, f"someone{n}@example.fr", "guess", f"203.0.113.{10 + n // 2}")
    assert NETWORK_MESSAGE in errors(sign_in(english_client(), member.email, PASSWORD, "203.0.113.200"))
    assert signed_in(sign_in(english_client(), member.email, PASSWORD, "203.0.114.200"))


def test_a_known_device_is_limited_on_its_own(resident):
    device = owner_device(resident)
    for _ in range(3):
        assert "password" in errors(sign_in(device, resident.email, "wrong", OWNER_AT_HOME))
    refused = sign_in(device, resident.email, PASSWORD, OWNER_AT_HOME)
    assert "Too many failed attempts from this device" in errors(refused)
    # Its failures did not count against the account elsewhere.
    assert signed_in(sign_in(english_client(), resident.email, PASSWORD, "192.0.2.10"))


def test_a_forged_device_cookie_counts_for_nothing(resident):
    stranger = english_client()
    stranger.cookies[KNOWN_DEVICE_COOKIE] = "forged:value"
    for _ in range(3):
        sign_in(stranger, resident.email, "wrong", STRANGER)
    assert ACCOUNT_MESSAGE in errors(sign_in(stranger, resident.email, PASSWORD, STRANGER))


def test_a_right_password_does_not_use_up_the_limits(resident):
    client = english_client()
    for _ in range(6):
        assert signed_in(sign_in(client, resident.email, PASSWORD, STRANGER))
        client.post(reverse("account_logout"))
        client.cookies.pop(KNOWN_DEVICE_COOKIE, None)


def test_networks():
    assert network_of("203.0.113.66") == "203.0.113.0/24"
    assert network_of("2001:db8:1:2:3::1") == "2001:db8:1::/48"
    assert network_of("not an address") == "not an address"


def test_the_admin_sign_in_goes_through_the_limited_one(resident):
    client = english_client()
    response = client.post("/admin/login/?next=/admin/", {"username": resident.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=/admin/"
    assert not response.wsgi_request.user.is_authenticated


def test_behind_a_proxy_each_visitor_is_counted_by_their_own_address(settings, resident):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # TRUSTED_PROXY_COUNT=1 in the environment
    proxy = "10.0.0.1"
    stranger = english_client()
    for n in range(4):
        stranger.post(
            reverse("account_login"),
            {"login": f"someone{n}@example.fr", "password": "guess"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=STRANGER,
        )
    refused = stranger.post(
        reverse("account_login"),
        {"login": "other@example.fr", "password": "guess"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=STRANGER,
    )
    assert NETWORK_MESSAGE in errors(refused)
    response = english_client().post(
        reverse("account_login"),
        {"login": resident.email, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.10",
    )
    assert signed_in(response)
