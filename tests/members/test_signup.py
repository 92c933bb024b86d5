import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from members.models import Member
from members.roles import RESIDENTS

User = get_user_model()


def signup_data(territory, **overrides):
    data = {
        "email": "amina@example.fr",
        "password1": "Un-mot-de-passe-solide-42",
        "password2": "Un-mot-de-passe-solide-42",
        "pseudonym": "Amina de Génicart",
        "commune": territory["lormont"].pk,
        "neighbourhood": territory["genicart"].pk,
    }
    data.update(overrides)
    return data


def confirmation_link(message):
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", message.body).group(0)


@pytest.mark.django_db
def test_signup_creates_a_resident_who_must_verify_the_email(client, territory):
    response = client.post(reverse("account_signup"), signup_data(territory))

    assert response.status_code == 302
    user = User.objects.get(email="amina@example.fr")
    member = Member.objects.get(user=user)
    assert member.pseudonym == "Amina de Génicart"
    assert member.commune_id == territory["lormont"].pk
    assert member.neighbourhood_id == territory["genicart"].pk
    assert not member.show_on_leaderboard and not member.accept_invitations
    assert user.groups.filter(name=RESIDENTS).exists()
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    # Not signed in until the address is confirmed.
    assert not client.get(reverse("members:profile")).wsgi_request.user.is_authenticated

    link = confirmation_link(mail.outbox[0])
    response = client.post(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("members:profile")).status_code == 200


@pytest.mark.django_db
def test_unverified_member_cannot_sign_in(client, territory, make_user):
    make_user("late@example.fr", verified=False)
    response = client.post(
        reverse("account_login"), {"login": "late@example.fr", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302
    assert "confirm-email" in response.url
    assert not client.get(reverse("members:profile")).wsgi_request.user.is_authenticated


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "courriel valide"),
        ({"pseudonym": "x"}, "pseudonym", "3 à 40 caractères"),
        ({"pseudonym": "<script>"}, "pseudonym", "3 à 40 caractères"),
        ({"neighbourhood": "palmer"}, "neighbourhood", "n’est pas dans"),
        ({"neighbourhood": "999999"}, "neighbourhood", "choix valide"),
        ({"password2": "autre-chose-123"}, "password2", "mot de passe"),
    ],
)
def test_bad_signup_input_is_explained_in_french_and_saves_nothing(client, territory, overrides, field, message):
    if overrides.get("neighbourhood") == "palmer":
        overrides["neighbourhood"] = territory["palmer"].pk
    response = client.post(reverse("account_signup"), signup_data(territory, **overrides))

    assert response.status_code == 200
    errors = " ".join(str(error) for error in response.context["form"].errors.get(field, []))
    assert message in errors
    assert not User.objects.filter(email=signup_data(territory, **overrides)["email"]).exists()
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_taken_pseudonym_is_refused_whatever_its_case(client, territory, make_user):
    make_user("first@example.fr", pseudonym="Amina de Génicart")
    response = client.post(reverse("account_signup"), signup_data(territory, pseudonym="AMINA  de génicart"))

    assert response.status_code == 200
    assert "déjà pris" in str(response.context["form"].errors["pseudonym"])
    assert not User.objects.filter(email="amina@example.fr").exists()


@pytest.mark.django_db
def test_neighbourhood_alone_sets_its_commune(client, territory):
    client.post(reverse("account_signup"), signup_data(territory, commune="", neighbourhood=territory["palmer"].pk))
    member = Member.objects.get(user__email="amina@example.fr")
    assert member.commune_id == territory["cenon"].pk


@pytest.mark.django_db
def test_every_user_gets_a_member_profile(django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.fr", "pw")
    assert user.member.pseudonym == f"membre-{user.pk}"


@pytest.mark.django_db
def test_password_reset_sends_a_link(client, make_user):
    make_user("forgetful@example.fr")
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
