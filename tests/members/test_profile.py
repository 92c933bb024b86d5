import pytest
from django.urls import reverse

from members.models import ConsentRecord, Member

PROFILE_URL = "/me/"


def profile_data(territory, **overrides):
    data = {
        "pseudonym": "Nadia",
        "commune": territory["lormont"].pk,
        "neighbourhood": territory["genicart"].pk,
        "show_on_leaderboard": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_profile_url_is_me():
    assert reverse("members:profile") == PROFILE_URL


@pytest.mark.django_db
def test_profile_page_for_every_role(client, territory, any_role):
    role, user = any_role
    if user is None:
        response = client.get(PROFILE_URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        return
    client.force_login(user)
    response = client.get(PROFILE_URL)
    assert response.status_code == 200
    assert user.member.pseudonym in response.text


@pytest.mark.django_db
def test_saving_the_profile_logs_each_changed_consent(client, territory, resident):
    client.force_login(resident)

    response = client.post(PROFILE_URL, profile_data(territory))
    assert response.status_code == 302
    member = Member.objects.get(user=resident)
    assert member.show_on_leaderboard and not member.accept_invitations
    assert list(ConsentRecord.objects.filter(member=member).values_list("consent", "given")) == [("leaderboard", True)]

    client.post(PROFILE_URL, profile_data(territory, show_on_leaderboard=None, accept_invitations="on"))
    records = list(ConsentRecord.objects.filter(member=member).values_list("consent", "given"))
    assert records == [("leaderboard", True), ("leaderboard", False), ("invitations", True)]

    client.post(PROFILE_URL, profile_data(territory, show_on_leaderboard=None, accept_invitations="on"))
    assert ConsentRecord.objects.filter(member=member).count() == 3


@pytest.mark.django_db
def test_neighbourhood_outside_the_commune_is_refused(client, territory, resident):
    client.force_login(resident)
    response = client.post(PROFILE_URL, profile_data(territory, neighbourhood=territory["palmer"].pk))
    assert response.status_code == 200
    assert "n’est pas dans Lormont" in response.text
    assert Member.objects.get(user=resident).neighbourhood is None


@pytest.mark.django_db
def test_taken_pseudonym_is_refused_on_the_profile(client, territory, resident, make_user):
    make_user("other@example.fr", pseudonym="Karim")
    client.force_login(resident)
    response = client.post(PROFILE_URL, profile_data(territory, pseudonym="karim"))
    assert response.status_code == 200
    assert "déjà pris" in response.text
    assert Member.objects.get(user=resident).pseudonym == "Nadia"


@pytest.mark.django_db
def test_keeping_ones_own_pseudonym_is_fine(client, territory, resident):
    client.force_login(resident)
    response = client.post(PROFILE_URL, profile_data(territory, pseudonym="NADIA"))
    assert response.status_code == 302
    assert Member.objects.get(user=resident).pseudonym == "NADIA"


@pytest.mark.django_db
@pytest.mark.parametrize("garbage", [{"commune": "abc"}, {"neighbourhood": "zzz"}, {"pseudonym": "a" * 500}])
def test_garbage_input_never_breaks_the_profile(client, territory, resident, garbage):
    client.force_login(resident)
    response = client.post(PROFILE_URL, profile_data(territory, **garbage))
    assert response.status_code == 200
    assert Member.objects.get(user=resident).commune is None


@pytest.mark.django_db
def test_me_shows_edits_waiting_for_a_patrol(client, territory, resident):
    from django.utils.translation import ngettext

    from members.activity import Kind, record

    record(resident.member, Kind.EDIT, page=territory["genicart"], chars_changed=500)  # a new member's edit
    client.force_login(resident)
    response = client.get(PROFILE_URL)
    assert (response.context["pending_edits"], response.context["pending_points"]) == (1, 3)
    assert 'data-testid="pending-patrol"' in response.text
    expected = ngettext(
        "%(counter)s edit is waiting for a moderator's review: it will add up to %(points)s points once reviewed.",
        "%(counter)s edits are waiting for a moderator's review: they will add up to %(points)s points once reviewed.",
        1,
    ) % {"counter": 1, "points": 3}
    assert expected in response.text
    points_page = client.get(reverse("members:points"))
    assert 'id="awaiting-patrol"' in points_page.text
