import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from members.models import Activity
from workshops import services
from workshops.models import Registration, WorkshopPage

Status = Registration.Status
pytestmark = pytest.mark.django_db


def login(client, user):
    if user is not None:
        client.force_login(user)


def test_index_lists_upcoming_and_past_and_filters_by_commune(client, territory, workshop_index, make_workshop):
    lormont = make_workshop(title="Jardin partagé")
    cenon = make_workshop(title="Vélo-école", commune=territory["cenon"])
    past = make_workshop(title="Fresque", starts_at=timezone.now() - timedelta(days=5))
    response = client.get(workshop_index.url)
    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [lormont, cenon] or set(response.context["upcoming"]) == {
        lormont,
        cenon,
    }
    assert list(response.context["past"]) == [past]
    response = client.get(workshop_index.url, {"commune": territory["cenon"].pk})
    assert list(response.context["upcoming"]) == [cenon]


@pytest.mark.parametrize("bad", ["abc", "999999", "1 OR 1=1"])
def test_index_bad_commune_is_a_message_not_an_error(client, workshop_index, make_workshop, bad):
    make_workshop()
    response = client.get(workshop_index.url, {"commune": bad})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(response.context["upcoming"]) == 1


@pytest.mark.parametrize("count", [1, 6])
def test_index_query_count_is_flat(
    client, workshop_index, make_workshop, make_member, count, django_assert_max_num_queries
):
    for _ in range(count):
        workshop = make_workshop()
        services.register(make_member(), workshop)
    with django_assert_max_num_queries(14):
        assert client.get(workshop_index.url).status_code == 200


def test_workshop_page_for_every_role(client, any_role, workshop):
    role, user = any_role
    login(client, user)
    response = client.get(workshop.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert workshop.address in content
    assert (workshop.url + "check-in/" in content) == (role in ("moderator", "staff"))
    assert (workshop.url + "register/" in content) == (role != "anonymous")


def test_verified_member_registers_and_cancels(client, resident, workshop):
    client.force_login(resident)
    assert client.get(workshop.url + "register/").status_code == 405  # never on GET
    response = client.post(workshop.url + "register/")
    assert response.status_code == 302
    registration = Registration.objects.get(member=resident.member)
    assert registration.status == Status.CONFIRMED
    page = client.get(workshop.url).content.decode()
    assert registration.code in page
    client.post(workshop.url + "cancel/")
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_unverified_or_anonymous_cannot_register(client, make_user, workshop):
    response = client.post(workshop.url + "register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user("new@example.fr", verified=False))
    client.post(workshop.url + "register/")
    assert not Registration.objects.exists()


def test_register_after_deadline_shows_message(client, resident, make_workshop):
    workshop = make_workshop(registration_deadline=timezone.now() - timedelta(minutes=5))
    client.force_login(resident)
    response = client.post(workshop.url + "register/", follow=True)
    assert response.status_code == 200
    assert gettext("Registration for this workshop is closed.") in [str(m) for m in response.context["messages"]]
    assert not Registration.objects.exists()


@pytest.mark.parametrize("suffix", ["check-in/", "check-in/attendees.csv", "invite/"])
def test_staff_pages_permissions(client, any_role, workshop, suffix):
    role, user = any_role
    login(client, user)
    response = client.get(workshop.url + suffix)
    expected = {"anonymous": 302, "resident": 403, "moderator": 200, "staff": 200}[role]
    assert response.status_code == expected


@pytest.mark.parametrize("count", [2, 8])
def test_check_in_query_count_is_flat(client, staff, make_workshop, make_member, count, django_assert_max_num_queries):
    workshop = make_workshop(capacity=count)
    for _ in range(count):
        services.register(make_member(), workshop)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        assert client.get(workshop.url + "check-in/").status_code == 200


def test_check_in_flow_search_mark_walk_in_and_csv(client, staff, workshop, make_member):
    a, b = make_member(), make_member()
    ra = services.register(a, workshop)
    services.register(b, workshop)
    client.force_login(staff)
    url = workshop.url + "check-in/"
    response = client.get(url, {"q": ra.code.lower()})
    assert [r.pk for r in response.context["registrations"]] == [ra.pk]
    client.post(url, {"action": "mark", "registration": ra.pk, "present": "1"})
    ra.refresh_from_db()
    assert ra.status == Status.ATTENDED
    client.post(url, {"action": "mark", "registration": ra.pk, "present": "0"})
    ra.refresh_from_db()
    assert ra.status == Status.ABSENT
    client.post(url, {"action": "mark", "registration": ra.pk, "present": "1"})
    walk_in = make_member(invitable=False)
    client.post(url, {"action": "walk-in", "walkin-email": walk_in.user.email})
    assert Registration.objects.get(member=walk_in).status == Status.ATTENDED
    response = client.post(url, {"action": "walk-in", "walkin-email": "nobody@example.fr"})
    assert response.status_code == 200 and response.context["walk_in"].errors
    rows = list(csv.reader(io.StringIO(client.get(workshop.url + "check-in/attendees.csv").content.decode())))
    assert {row[0] for row in rows[1:]} == {a.pseudonym, b.pseudonym, walk_in.pseudonym}
    assert Activity.objects.filter(kind=Activity.Kind.WORKSHOP_ATTENDED).count() == 3
    assert Activity.objects.filter(kind=Activity.Kind.REVERTED).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"action": "mark", "registration": "x", "present": "1"},
        {"action": "mark", "registration": "999999", "present": "1"},
        {"action": "nonsense"},
        {"action": "capacity", "capacity-capacity": "-3"},
        {"action": "resend", "registration": "abc"},
    ],
)
def test_check_in_bad_posts_never_500(client, staff, workshop, data):
    client.force_login(staff)
    response = client.post(workshop.url + "check-in/", data)
    assert response.status_code in (200, 302, 404)


def test_capacity_below_confirmed_refused_with_message(client, staff, workshop, make_member):
    for _ in range(2):
        services.register(make_member(), workshop)
    client.force_login(staff)
    response = client.post(workshop.url + "check-in/", {"action": "capacity", "capacity-capacity": "1"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("2" in m for m in messages)
    workshop.refresh_from_db()
    assert workshop.capacity == 2


def test_resend_after_failure_clears_the_error(client, staff, workshop, make_member):
    member = make_member()
    services.invite(workshop, [member], by=staff)
    registration = Registration.objects.get(member=member)
    Registration.objects.filter(pk=registration.pk).update(email_error="invitation: SMTP down")
    client.force_login(staff)
    assert "SMTP down" in client.get(workshop.url + "check-in/").content.decode()
    client.post(workshop.url + "check-in/", {"action": "resend", "registration": registration.pk})
    registration.refresh_from_db()
    assert registration.email_error == ""


def test_invite_page_invites_and_reports_not_invitable(client, staff, workshop, make_member):
    yes, no = make_member(), make_member(invitable=False)
    client.force_login(staff)
    response = client.get(workshop.url + "invite/", {"q": "Membre"})
    assert response.status_code == 200
    response = client.post(workshop.url + "invite/", {"members": [yes.pk, no.pk]})
    assert response.status_code == 200
    result = response.context["result"]
    assert [r.member for r in result.invited] == [yes]
    assert [m for m, _r in result.not_invitable] == [no]
    assert Registration.objects.get(member=yes).status == Status.INVITED
    response = client.post(workshop.url + "invite/", {"members": ["abc"]})
    assert response.status_code == 200 and response.context["form"].errors


def test_invitation_only_workshop_hides_register_button(client, resident, make_workshop):
    workshop = make_workshop(registration_mode=WorkshopPage.Mode.INVITATION)
    client.force_login(resident)
    assert workshop.url + "register/" not in client.get(workshop.url).content.decode()
    client.post(workshop.url + "register/")
    assert not Registration.objects.exists()


def test_main_menu_links_the_workshop_index(client, workshop_index):
    from django.core.cache import cache

    cache.clear()
    assert f'href="{workshop_index.url}"' in client.get("/").content.decode()


def test_main_menu_without_index_has_no_workshops_entry(client, territory):
    from django.core.cache import cache

    cache.clear()
    assert client.get("/").status_code == 200


def test_staff_reschedule_and_cancel_from_the_check_in_page(client, staff, workshop, make_member):
    from django.core import mail

    services.register(make_member(), workshop)
    client.force_login(staff)
    url = workshop.url + "check-in/"
    local = timezone.localtime(workshop.starts_at) + timedelta(days=1)
    data = {
        "action": "reschedule",
        "reschedule-starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "reschedule-ends_at": (local - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "reschedule-venue_name": "Salle Boris Vian",
        "reschedule-address": workshop.address,
    }
    mail.outbox.clear()
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["reschedule_form"].errors
    workshop.refresh_from_db()
    assert workshop.ics_sequence == 0 and not mail.outbox
    data["reschedule-ends_at"] = (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, data).status_code == 302
    workshop.refresh_from_db()
    assert workshop.venue_name == "Salle Boris Vian" and workshop.ics_sequence == 1
    assert len(mail.outbox) == 1
    assert client.post(url, {"action": "cancel-workshop"}).status_code == 200  # confirmation box unticked
    workshop.refresh_from_db()
    assert not workshop.is_cancelled
    assert client.post(url, {"action": "cancel-workshop", "cancel-confirm": "on"}).status_code == 302
    workshop.refresh_from_db()
    assert workshop.is_cancelled and workshop.ics_sequence == 2
    assert "METHOD:CANCEL" in mail.outbox[-1].attachments[0].get_content()


def test_from_a_selection_of_members_choose_a_workshop_then_invite(client, any_role, workshop, make_member):
    role, user = any_role
    a, b = make_member(), make_member()
    login(client, user)
    response = client.get("/workshops-rsvp/invite/", {"members": [a.pk, b.pk, "x"]})
    assert response.status_code == {"anonymous": 302, "resident": 403, "moderator": 200, "staff": 200}[role]
    if role in ("moderator", "staff"):
        [(chosen, url)] = response.context["choices"]
        assert chosen == workshop and url.startswith(workshop.url + "invite/?")
        page = client.get(url)
        assert page.context["form"].initial["members"] == [a.pk, b.pk]
        assert {m.pk for m in page.context["form"].fields["members"].queryset} == {a.pk, b.pk}
