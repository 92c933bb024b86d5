"""The check-in page's actions: one URL, one small view and one form each (workshops/views.py).

Every action for every role, and the hostile ids a hidden field can carry: never a 500, a clear refusal.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from workshops import services
from workshops.models import Registration, WorkshopPage

Status = Registration.Status
pytestmark = pytest.mark.django_db

MANAGERS = ("moderator", "staff")


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def action_url(workshop, action):
    return f"{workshop.url}check-in/{action}/"


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def setups(make_workshop, make_member):
    """For each action: (workshop, POST data, has it happened?)."""

    def mark():
        workshop = make_workshop()
        registration = services.register(make_member(), workshop)
        data = {"registration": registration.pk, "present": "1"}
        return workshop, data, lambda: Registration.objects.get(pk=registration.pk).status == Status.ATTENDED

    def walk_in():
        workshop = make_workshop()
        member = make_member()
        data = {"walkin-email": member.user.email}
        return workshop, data, lambda: Registration.objects.filter(member=member, status=Status.ATTENDED).exists()

    def resend():
        workshop = make_workshop()
        registration = services.register(make_member(), workshop)
        Registration.objects.filter(pk=registration.pk).update(email_error="confirmed: SMTP down")
        data = {"registration": registration.pk}
        return workshop, data, lambda: Registration.objects.get(pk=registration.pk).email_error == ""

    def capacity():
        workshop = make_workshop()
        data = {"capacity-capacity": "7"}
        return workshop, data, lambda: WorkshopPage.objects.get(pk=workshop.pk).capacity == 7

    def reschedule():
        workshop = make_workshop()
        start = timezone.localtime(workshop.starts_at) + timedelta(days=1)
        data = {
            "reschedule-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "reschedule-ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "reschedule-venue_name": "Salle Boris Vian",
            "reschedule-address": workshop.address,
        }
        return workshop, data, lambda: WorkshopPage.objects.get(pk=workshop.pk).venue_name == "Salle Boris Vian"

    def cancel_workshop():
        workshop = make_workshop()
        data = {"cancel-confirm": "on"}
        return workshop, data, lambda: WorkshopPage.objects.get(pk=workshop.pk).is_cancelled

    def close():
        workshop = make_workshop(starts_at=timezone.now() - timedelta(hours=1))
        data = {"close-writeup": "We planted twelve trees.", "close-attendee_count": "9"}
        return workshop, data, lambda: WorkshopPage.objects.get(pk=workshop.pk).closed_at is not None

    return {
        "mark": mark,
        "walk-in": walk_in,
        "resend": resend,
        "capacity": capacity,
        "reschedule": reschedule,
        "cancel-workshop": cancel_workshop,
        "close": close,
    }


ACTIONS = ["mark", "walk-in", "resend", "capacity", "reschedule", "cancel-workshop", "close"]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_for_every_role(client, any_role, setups, action):
    role, user = any_role
    workshop, data, happened = setups[action]()
    if user is not None:
        client.force_login(user)
    response = client.post(action_url(workshop, action), data)
    if role in MANAGERS:
        back = "manage/" if action in ("capacity", "reschedule", "cancel-workshop", "close") else "check-in/"
        assert response.status_code == 302 and response["Location"] == workshop.url + back
        assert happened()
    else:
        expected = {"anonymous": 302, "resident": 403}[role]
        assert response.status_code == expected and not happened()
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_url_answers_only_post(client, staff, setups, action):
    workshop, _data, happened = setups[action]()
    client.force_login(staff)
    assert client.get(action_url(workshop, action)).status_code == 405
    assert not happened()


def test_the_page_posts_each_form_to_its_own_action_url(client, staff, make_workshop, make_member):
    workshop = make_workshop()
    registration = services.register(make_member(), workshop)
    # Started, so that the write-up form shows too.
    WorkshopPage.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    Registration.objects.filter(pk=registration.pk).update(email_error="confirmed: SMTP down")
    client.force_login(staff)
    html = client.get(workshop.url + "check-in/", {"q": "Membre"}).content.decode()
    for action in ACTIONS[:3]:  # the door's actions keep the search
        assert f'action="{action_url(workshop, action)}?q=Membre"' in html, action
    assert 'name="action"' not in html
    html = client.get(workshop.url + "manage/").content.decode()  # the workshop's own, on a page apart
    for action in ACTIONS[3:]:
        assert f'action="{action_url(workshop, action)}"' in html, action
    assert 'name="action"' not in html


def test_an_action_keeps_the_search_of_the_page(client, staff, workshop, make_member):
    registration = services.register(make_member(), workshop)
    client.force_login(staff)
    response = client.post(
        action_url(workshop, "mark") + "?q=" + registration.code, {"registration": registration.pk, "present": "1"}
    )
    assert response["Location"] == f"{workshop.url}check-in/?q={registration.code}"


HOSTILE_IDS = {
    "huge": "9" * 30,
    "beyond bigint": str(2**63),
    "superscript two": "²",
    "arabic digit": "٣",
    "negative": "-1",
    "zero": "0",
    "letters": "abc",
    "empty": "",
}


@pytest.mark.parametrize("action", ["mark", "resend"])
@pytest.mark.parametrize("bad", list(HOSTILE_IDS.values()) + [None], ids=list(HOSTILE_IDS) + ["missing"])
def test_hostile_registration_ids_are_refused_clearly(client, staff, workshop, make_member, action, bad):
    registration = services.register(make_member(), workshop)
    in_english(client).force_login(staff)
    data = {"present": "1"} if action == "mark" else {}
    if bad is not None:
        data["registration"] = bad
    response = client.post(action_url(workshop, action), data)
    assert response.status_code == 302
    assert messages_of(response) in (["This registration does not exist."], ["Choose a registration."])
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED


@pytest.mark.parametrize("action", ["mark", "resend"])
def test_a_registration_of_another_workshop_is_refused(client, staff, make_workshop, make_member, action):
    here, elsewhere = make_workshop(), make_workshop()
    other = services.register(make_member(), elsewhere)
    in_english(client).force_login(staff)
    response = client.post(action_url(here, action), {"registration": other.pk, "present": "1"})
    assert messages_of(response) == ["This registration does not exist."]
    assert Registration.objects.get(pk=other.pk).status == Status.CONFIRMED


@pytest.mark.parametrize("present", ["", "2", "yes", None])
def test_mark_needs_present_or_absent(client, staff, workshop, make_member, present):
    registration = services.register(make_member(), workshop)
    in_english(client).force_login(staff)
    data = {"registration": registration.pk} | ({} if present is None else {"present": present})
    response = client.post(action_url(workshop, "mark"), data)
    assert response.status_code == 302
    assert messages_of(response) == ["Say whether the member is present or absent."]
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED


@pytest.mark.parametrize("value", ["9" * 30, "²", "-3", "10001", "", "abc"])
def test_capacity_out_of_range_shows_the_form_again(client, staff, workshop, value):
    client.force_login(staff)
    response = client.post(action_url(workshop, "capacity"), {"capacity-capacity": value})
    assert response.status_code == 200 and response.context["capacity_form"].errors
    assert WorkshopPage.objects.get(pk=workshop.pk).capacity == 2


@pytest.mark.parametrize("value", ["9" * 30, "²", "-1"])
def test_close_refuses_a_hostile_attendee_count(client, staff, make_workshop, value):
    workshop = make_workshop(starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(staff)
    response = client.post(action_url(workshop, "close"), {"close-writeup": "Done.", "close-attendee_count": value})
    assert response.status_code == 200 and response.context["close_form"].errors
    assert WorkshopPage.objects.get(pk=workshop.pk).closed_at is None


def test_a_refusal_of_the_service_is_a_message(client, staff, make_workshop, make_member):
    workshop = make_workshop(capacity=2)
    for _ in range(2):
        services.register(make_member(), workshop)
    in_english(client).force_login(staff)
    response = client.post(action_url(workshop, "capacity"), {"capacity-capacity": "1"})
    assert response.status_code == 302
    assert messages_of(response) == ["The capacity cannot be lower than the 2 members already confirmed."]


def test_an_unknown_action_is_a_message_not_an_error(client, staff, workshop):
    in_english(client).force_login(staff)
    for response in (
        client.post(action_url(workshop, "nonsense"), {}),
        client.post(workshop.url + "check-in/", {"action": "nonsense"}),
    ):
        assert response.status_code == 302
        assert messages_of(response)[-1] == "This action is not valid."


@pytest.mark.parametrize("bad", ["²", "9" * 30, "-1", "abc"])
def test_hostile_member_ids_on_the_invite_pages_are_ignored(client, staff, workshop, make_member, bad):
    member = make_member()
    client.force_login(staff)
    response = client.get("/workshops-rsvp/invite/", {"members": [member.pk, bad]})
    assert response.status_code == 200 and response.context["count"] == 1
    response = client.get(workshop.url + "invite/", {"members": [member.pk, bad]})
    assert response.status_code == 200
    assert response.context["form"].initial["members"] == [member.pk]
