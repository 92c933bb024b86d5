"""Renaming and moving a page: a new revision, and the old address redirects to the new one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.contrib.redirects.models import Redirect

from members.models import Activity
from tests.wiki.conftest import edit
from wiki import services
from wiki.models import RevisionMeta

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(territory, write_page):
    return write_page(territory["genicart"], "Le marché", "Le samedi.")


def fresh(page):
    return page.specific_class.objects.get(pk=page.pk)


def test_rename_gives_a_new_address_and_the_old_one_redirects(
    client, market, territory, other_resident, django_capture_on_commit_callbacks
):
    old_url = market.url
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.move_page(
            other_resident, market, title="Le marché du samedi", parent=territory["genicart"], summary="plus précis"
        )
    market = fresh(market)
    assert market.url == "/lormont/genicart/le-marche-du-samedi/" and market.title == "Le marché du samedi"
    meta = outcome.revision.wiki_meta
    assert (meta.action, meta.summary) == ("move", "plus précis")
    assert market.latest_revision.user == other_resident
    response = client.get(old_url)
    assert response.status_code in (301, 302) and response.url.endswith("/lormont/genicart/le-marche-du-samedi/")
    line = Activity.objects.get(kind=Activity.Kind.EDIT, revision=outcome.revision)
    assert line.facts["moved"] == {"from": "/rive-droite/lormont/genicart/le-marche/", "to": market.url_path}


def test_move_to_another_neighbourhood_with_its_subpages(client, market, territory, resident, write_page):
    sub = write_page(market, "Les horaires", "8h-13h")
    services.move_page(resident, market, title="Le marché", parent=territory["palmer"])
    market, sub = fresh(market), fresh(sub)
    assert market.url == "/cenon/palmer/le-marche/" and sub.url == "/cenon/palmer/le-marche/les-horaires/"
    assert client.get("/lormont/genicart/le-marche/les-horaires/").status_code in (301, 302)
    assert Redirect.objects.filter(redirect_page=sub).exists()
    assert RevisionMeta.objects.filter(page_id=market.pk, action="move").exists()
    # The history is whole and the text unchanged.
    assert market.body == "Le samedi." and services.page_revisions(market).count() == 2


@pytest.mark.parametrize(
    ("title", "where", "field"),
    [
        ("", "genicart", "title"),
        ("Le marché", "genicart", None),  # nothing to change
        ("La piscine", "genicart", "title"),  # a sibling has this address
        ("Le marché", "home", "parent"),
    ],
)
def test_bad_moves_are_explained(market, territory, resident, write_page, title, where, field):
    write_page(territory["genicart"], "La piscine")
    with pytest.raises(ValidationError) as refused:
        services.move_page(resident, market, title=title, parent=territory[where])
    if field:
        assert field in refused.value.message_dict
    assert fresh(market).url == "/lormont/genicart/le-marche/"


def test_a_page_cannot_go_under_itself(market, resident, write_page):
    sub = write_page(market, "Sous-page")
    with pytest.raises(ValidationError):
        services.move_page(resident, market, title="Le marché", parent=sub)


def test_unverified_cannot_move(market, territory, make_user):
    with pytest.raises(PermissionDenied):
        services.move_page(make_user("x@example.fr", verified=False), market, title="X", parent=territory["palmer"])


def test_move_form(client, market, territory, resident, django_capture_on_commit_callbacks):
    client.force_login(resident)
    response = client.get(market.url + "move/")
    assert response.status_code == 200
    assert "Lormont › Génicart" in response.text and "Cenon › Palmer" in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            market.url + "move/", {"title": "Marché couvert", "parent": territory["carriet"].pk, "summary": ""}
        )
    assert response.status_code == 302 and response.url == "/lormont/carriet/marche-couvert/"
    assert client.get("/lormont/genicart/le-marche/").status_code in (301, 302)
    response = client.post(fresh(market).url + "move/", {"title": "", "parent": territory["carriet"].pk})
    assert response.status_code == 200 and 'id="id_title_error"' in response.text


def test_edits_after_a_move_keep_the_new_address(market, territory, resident):
    services.move_page(resident, market, title="Marché couvert", parent=territory["genicart"])
    edit(market, resident, "Le samedi et le dimanche.")
    first = services.page_revisions(market).order_by("pk").first()
    services.restore(resident, market, first.pk)
    market = fresh(market)
    assert market.url == "/lormont/genicart/marche-couvert/"
    assert (market.title, market.body) == ("Le marché", "Le samedi.")
