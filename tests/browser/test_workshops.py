"""Workshops in a real browser: invitation, RSVP from the email, .ics download, check-in; axe on every page."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from members.roles import RESIDENTS
from tests.conftest import add_page
from workshops.models import Registration, WorkshopIndexPage, WorkshopPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def workshop(territory):
    index = add_page(territory["home"], WorkshopIndexPage(title="Ateliers", slug="workshops"))
    start = timezone.now() + timedelta(days=7)
    return add_page(
        index,
        WorkshopPage(
            title="Atelier jardin partagé",
            slug="jardin",
            description="<p>On dessine ensemble le futur jardin.</p>",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue_name="Maison des habitants",
            address="12 rue Lavoisier, 33310 Lormont",
            commune=territory["lormont"],
            accessibility="Accès de plain-pied, boucle magnétique.",
            capacity=10,
        ),
    )


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_invite_accept_download_and_check_in(page, browser, live_server, workshop, staff, make_user, assert_accessible):
    invitee = make_user("lea@example.fr", pseudonym="Léa du Carriet", groups=[RESIDENTS])
    invitee.member.accept_invitations = True
    invitee.member.save()

    # Public pages are accessible to anonymous visitors.
    page.goto("/workshops/")
    assert page.get_by_role("link", name="Atelier jardin partagé").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Atelier jardin partagé").click()
    page.wait_for_url("**/workshops/jardin/")
    assert "12 rue Lavoisier" in page.inner_text("main")
    assert_accessible(page)

    # Staff invite the member from the workshop.
    sign_in(page, live_server, staff)
    page.goto(workshop.url + "invite/")
    assert_accessible(page)
    page.get_by_label("Léa du Carriet").check()
    page.locator('main form:has(input[name="action"][value="invite"]) button[type="submit"]').click()
    page.wait_for_load_state()
    assert Registration.objects.get(member=invitee.member).status == Registration.Status.INVITED
    assert_accessible(page)

    # The member accepts from the link in the email, without signing in.
    [message] = mail.outbox
    accept = re.search(r"https?://\S+?(/workshops-rsvp/[\w-]+/accept/)", message.body).group(1)
    member_context = browser.new_context(base_url=live_server.url, locale="fr-FR", accept_downloads=True)
    member_page = member_context.new_page()
    member_page.goto(accept)
    assert_accessible(member_page)
    assert Registration.objects.get(member=invitee.member).status == Registration.Status.INVITED
    member_page.locator('main form[method="post"] button[type="submit"]').click()
    member_page.wait_for_load_state()
    registration = Registration.objects.get(member=invitee.member)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.code in member_page.inner_text("main")
    assert_accessible(member_page)

    # ...and downloads the calendar file.
    with member_page.expect_download() as download_info:
        member_page.locator('main a[href$="event.ics"]').click()
    calendar = Calendar.from_ical(open(download_info.value.path(), "rb").read())  # noqa: SIM115
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == workshop.uid
    assert "12 rue Lavoisier" in str(event["DESCRIPTION"])
    member_context.close()

    # At the door, staff find the member by code and check them in.
    page.goto(workshop.url + "check-in/")
    assert_accessible(page)
    page.locator('input[name="q"]').fill(registration.code)
    page.locator('main form[role="search"] button').click()
    page.wait_for_url("**/check-in/?q=*")
    page.locator('main form:has(input[name="present"][value="1"]) button').click()
    page.wait_for_load_state()
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.ATTENDED
    assert page.locator('main form:has(input[name="present"][value="0"])').count() == 1
    assert_accessible(page)


def test_resident_registers_from_the_page(page, live_server, workshop, make_user, assert_accessible):
    resident = make_user("nadia@example.fr", pseudonym="Nadia", groups=[RESIDENTS])
    sign_in(page, live_server, resident)
    page.goto(workshop.url)
    assert_accessible(page)
    page.locator('main form[action$="register/"] button').click()
    page.wait_for_load_state()
    registration = Registration.objects.get(member=resident.member)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.code in page.inner_text("main")
    assert_accessible(page)
    page.goto("/workshops/?commune=not-a-number")
    assert page.locator(".errorlist").count() == 1
    assert_accessible(page)
