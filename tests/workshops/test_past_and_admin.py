"""A past workshop's page by role, Admin › Workshops, and check-in apart from managing the workshop."""

from datetime import timedelta

import pytest
from django.utils import timezone

from workshops import services
from workshops.models import Registration, WorkshopPage

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture
def past(make_workshop, make_member, staff):
    workshop = make_workshop(title="Fresque du climat", starts_at=timezone.now() - timedelta(days=3), capacity=10)
    for _ in range(3):
        services.add_walk_in(workshop, make_member(), by=staff)
    return workshop


@pytest.mark.parametrize("closed", [False, True])
def test_a_past_workshop_says_it_is_over_for_every_role(client, any_role, past, closed, staff):
    role, user = any_role
    if closed:
        services.close_workshop(past, writeup="Nous avons dessiné la fresque.", attendee_count=5, by=staff)
    if user is not None:
        client.force_login(user)
    html = client.get(past.url).text
    over = html.split('data-testid="workshop-over"')[1].split("</p>")[0]
    assert "Cet atelier est terminé." in over
    assert ("5 personnes sont venues." if closed else "3 personnes sont venues.") in over
    assert "Places restantes" not in html and "S’inscrire" not in html and "event.ics" not in html
    assert "Votre participation" not in html  # no empty heading for those who were not registered
    if closed:
        assert "Nous avons dessiné la fresque." in html
    else:
        assert "Le compte rendu de cet atelier n’est pas encore publié." in html
    assert (past.url + "manage/" in html) == (role in ("moderator", "staff"))


def test_a_registrant_of_a_past_workshop_sees_their_participation(client, past):
    registration = Registration.objects.filter(workshop=past).select_related("member__user").first()
    client.force_login(registration.member.user)
    html = client.get(past.url).text
    participation = html.split('id="my-registration"')[1].split("</section>")[0]
    assert "Présence confirmée" in participation or registration.get_status_display() in participation
    assert "Annuler mon inscription" not in participation


def test_an_upcoming_workshop_still_offers_seats(client, resident, make_workshop):
    workshop = make_workshop()
    client.force_login(resident)
    html = client.get(workshop.url).text
    assert 'data-testid="workshop-over"' not in html
    assert "Places restantes" in html and "Votre participation" in html and "event.ics" in html


# Admin › Workshops ----------------------------------------------------------------------------------------


def test_the_admin_menu_leads_staff_and_moderators_to_the_workshops(client, staff, moderator, past, make_workshop):
    coming = make_workshop(title="Atelier vélo")
    for user in (staff, moderator):
        client.force_login(user)
        menu = client.get("/admin/").text
        assert "/admin/workshops/" in menu
        response = client.get("/admin/workshops/")
        assert response.status_code == 200
        html = response.text
        upcoming = html.split('data-testid="upcoming"')[1].split("</table>")[0]
        earlier = html.split('data-testid="past"')[1].split("</table>")[0]
        assert "Atelier vélo" in upcoming and f"{coming.url}check-in/" in upcoming
        assert "Fresque du climat" in earlier and f"{past.url}manage/" in earlier
    client.force_login(staff)
    assert "Ajouter un atelier" in client.get("/admin/workshops/").text


def test_residents_and_the_public_never_reach_the_admin_list(client, resident):
    assert client.get("/admin/workshops/").status_code == 302
    client.force_login(resident)
    assert client.get("/admin/workshops/").status_code in (302, 403)


@pytest.mark.parametrize("count", [1, 6])
def test_the_admin_list_takes_the_same_queries(client, staff, make_workshop, django_assert_max_num_queries, count):
    for number in range(count):
        make_workshop(slug=f"a-{number}")
        make_workshop(slug=f"p-{number}", starts_at=timezone.now() - timedelta(days=number + 1))
    client.force_login(staff)
    client.get("/admin/workshops/")
    with django_assert_max_num_queries(20):
        assert client.get("/admin/workshops/").status_code == 200


# Check-in, apart from managing the workshop ------------------------------------------------------------------


def test_check_in_is_a_page_of_its_own_away_from_cancelling(client, staff, make_workshop, make_member):
    workshop = make_workshop()
    services.register(make_member(), workshop)
    client.force_login(staff)
    check_in = client.get(workshop.url + "check-in/").text
    assert "Annuler l’atelier" not in check_in and "cancel-workshop" not in check_in
    assert "capacity-capacity" not in check_in and "reschedule-" not in check_in and "close-writeup" not in check_in
    assert 'name="q"' in check_in and "walkin-email" in check_in
    assert f'href="{workshop.url}manage/"' in check_in
    manage = client.get(workshop.url + "manage/").text
    assert "Annuler l’atelier" in manage and "cancel-workshop" in manage and 'name="q"' not in manage
    assert f'href="{workshop.url}check-in/"' in manage


@pytest.mark.parametrize("role", ["anonymous", "resident"])
def test_only_managers_open_the_management_page(client, role, resident, workshop):
    if role == "resident":
        client.force_login(resident)
    response = client.get(workshop.url + "manage/")
    assert response.status_code == (302 if role == "anonymous" else 403)


def test_a_refused_change_comes_back_to_the_management_page(client, staff, workshop):
    client.force_login(staff)
    response = client.post(workshop.url + "check-in/capacity/", {"capacity-capacity": "-1"})
    assert response.status_code == 200 and response.context["capacity_form"].errors
    assert "Gérer l’atelier" in response.text
    assert WorkshopPage.objects.get(pk=workshop.pk).capacity == 2
