"""Neighbourhood choices are grouped by commune everywhere (members.forms.NeighbourhoodChoiceField):
two communes both have a "Le Bourg", and no form lets one be taken for the other."""

import re

import pytest
from django.urls import reverse

from members.models import Member
from tests.conftest import add_page
from wiki.models import NeighbourhoodPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_bourgs(territory):
    return {
        "lormont": add_page(territory["lormont"], NeighbourhoodPage(title="Le Bourg", slug="le-bourg")),
        "cenon": add_page(territory["cenon"], NeighbourhoodPage(title="Le Bourg", slug="le-bourg")),
    }


def groups(html, name="neighbourhood"):
    """{commune: [option labels]} of the <select name=`name`>."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return {
        label: re.findall(r">([^<]+)</option>", options)
        for label, options in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    }


def bourg_option(html, commune, bourg):
    """The <option> of `bourg` is inside the <optgroup> of `commune`."""
    select = re.search(r'<select name="neighbourhood"[^>]*>(.*?)</select>', html, re.S).group(1)
    group = re.search(rf'<optgroup label="{commune}">(.*?)</optgroup>', select, re.S).group(1)
    return f'<option value="{bourg.pk}"' in group


EXPECTED = {"Cenon": ["Le Bourg", "Palmer"], "Lormont": ["Carriet", "Génicart", "Le Bourg"]}


def test_signup_groups_neighbourhoods_by_commune(client, two_bourgs):
    html = client.get(reverse("account_signup")).text
    assert groups(html) == EXPECTED
    assert bourg_option(html, "Lormont", two_bourgs["lormont"]) and bourg_option(html, "Cenon", two_bourgs["cenon"])


def test_profile_groups_neighbourhoods_and_keeps_the_right_bourg(client, territory, resident, two_bourgs):
    client.force_login(resident)
    html = client.get("/me/").text
    assert groups(html) == EXPECTED
    data = {"pseudonym": "Nadia", "commune": territory["cenon"].pk, "neighbourhood": two_bourgs["cenon"].pk}
    assert client.post("/me/", data).status_code == 302
    assert Member.objects.get(user=resident).neighbourhood_id == two_bourgs["cenon"].pk
    # Cenon's Bourg with Lormont as the commune is refused: it is not the Bourg of Lormont.
    data["commune"] = territory["lormont"].pk
    response = client.post("/me/", data)
    assert response.status_code == 200 and 'class="errorlist' in response.text
    assert Member.objects.get(user=resident).commune_id == territory["cenon"].pk


@pytest.mark.parametrize("bad", ["zzz", "9" * 30, "²", "-1"])
def test_a_forged_neighbourhood_is_an_error_not_a_500(client, resident, two_bourgs, bad):
    client.force_login(resident)
    assert client.post("/me/", {"pseudonym": "Nadia", "neighbourhood": bad}).status_code == 200
    assert client.get("/leaderboard/", {"neighbourhood": bad}).status_code == 400


def test_leaderboard_filter_groups_neighbourhoods(client, two_bourgs):
    html = client.get("/leaderboard/").text
    assert groups(html) == EXPECTED
    assert client.get("/leaderboard/", {"neighbourhood": two_bourgs["cenon"].pk}).status_code == 200


def test_staff_report_groups_neighbourhoods(client, staff, two_bourgs):
    client.force_login(staff)
    html = client.get("/admin/engaged-residents/").text
    assert groups(html) == EXPECTED


def test_the_choice_is_one_query(two_bourgs, django_assert_num_queries):
    from members.forms import LeaderboardFilterForm

    form = LeaderboardFilterForm()
    with django_assert_num_queries(1):
        choices = [choice for choice in form.fields["neighbourhood"].choices]  # noqa: C416 - list() would count them
    assert [label for label, _options in choices[1:]] == ["Cenon", "Lormont"]
