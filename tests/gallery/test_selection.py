"""The community manager's selection "À la une": on the theme, the commune and the home page, and in Atom."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from gallery import services
from gallery.models import Selection, SelectionItem
from tests.conftest import PASSWORD
from wiki.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme():
    return Theme.objects.get_or_create(slug="mobilite", defaults={"name": "Mobilité"})[0]


@pytest.fixture
def project(territory, write_page):
    return write_page(territory["genicart"], "La passerelle", "Texte", page_type="project", status="idea")


def _item(selection, **fields):
    return SelectionItem.objects.create(selection=selection, sort_order=fields.pop("sort_order", 0), **fields)


def test_a_theme_selection_in_hand_order_with_links_pages_and_photos(client, theme, project, make_photo):
    selection = Selection.objects.create(theme=theme)
    _item(
        selection,
        sort_order=2,
        url="https://www.sudouest.fr/gironde/lormont/passerelle-123.html",
        title="La passerelle ouvre",
        source="Sud Ouest",
        comment="Enfin !",
    )
    _item(selection, sort_order=1, page=project, comment="Le projet")
    _item(selection, sort_order=3, photo=make_photo(alt="Vue du pont"))
    html = client.get(reverse("wiki:theme", args=[theme.slug])).text
    block = html.split('class="featured"', 1)[1].split("</section>", 1)[0]
    assert block.index("La passerelle<") < block.index("La passerelle ouvre") < block.index("Vue du pont")
    assert "www.sudouest.fr" in block and "Sud Ouest" in block and "Enfin !" in block
    assert 'rel="nofollow noopener noreferrer"' in block
    assert "<iframe" not in block and "og:image" not in block  # nothing fetched from the linked site


def test_dates_hidden_photos_and_private_pages_are_filtered(client, theme, project, make_photo, moderator, resident):
    now = timezone.now()
    selection = Selection.objects.create(theme=theme)
    _item(selection, url="https://a.example/x", title="Pas encore", starts_at=now + timedelta(days=1))
    _item(selection, url="https://a.example/y", title="Terminé", ends_at=now - timedelta(days=1))
    _item(selection, url="https://a.example/z", title="En cours", starts_at=now - timedelta(days=1))
    photo = make_photo(alt="Visage")
    _item(selection, photo=photo)
    _item(selection, page=project)
    services.hide_photo(moderator, photo)
    PageViewRestriction.objects.create(page=project, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(reverse("wiki:theme", args=[theme.slug])).text
    assert "En cours" in html
    assert "Pas encore" not in html and "Terminé" not in html and "Visage" not in html
    assert f'href="{project.url}"' not in html.split('class="featured"', 1)[1]
    client.login(username=resident.email, password=PASSWORD)
    assert (
        f'href="{project.url}"'
        in client.get(reverse("wiki:theme", args=[theme.slug])).text.split('class="featured"', 1)[1]
    )


def test_the_commune_and_home_selections(client, territory):
    home = Selection.objects.create()
    _item(home, url="https://mairie.example/actu", title="Pour tout le territoire")
    lormont = Selection.objects.create(commune=territory["lormont"])
    _item(lormont, url="https://lormont.example/actu", title="Pour Lormont")
    home_html = client.get(territory["home"].url).text
    assert "Pour tout le territoire" in home_html and "Pour Lormont" not in home_html
    commune_html = client.get(territory["lormont"].url).text
    assert "Pour Lormont" in commune_html and "Pour tout le territoire" not in commune_html
    assert "Pour Lormont" not in client.get(territory["cenon"].url).text


def test_the_atom_feeds(client, territory, theme):
    _item(Selection.objects.create(theme=theme), url="https://a.example/t", title="Lien du thème", comment="À lire")
    _item(Selection.objects.create(commune=territory["cenon"]), url="https://c.example/", title="Lien de Cenon")
    _item(Selection.objects.create(), url="https://h.example/", title="Lien d'accueil")
    feed = client.get(reverse("gallery:featured-theme-feed", args=[theme.slug]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Lien du thème" in feed.text and "À lire" in feed.text and "Lien de Cenon" not in feed.text
    assert "Lien de Cenon" in client.get(reverse("gallery:featured-commune-feed", args=[territory["cenon"].pk])).text
    assert "Lien d&#x27;accueil" in client.get(reverse("gallery:featured-feed")).text or "Lien d'accueil" in (
        client.get(reverse("gallery:featured-feed")).text
    )
    assert client.get(reverse("gallery:featured-theme-feed", args=["nope"])).status_code == 404


def test_only_web_links_and_one_kind_per_item(theme):
    selection = Selection.objects.create(theme=theme)
    for url in ("javascript:alert(1)", "ftp://x.example/", "data:text/html,hi"):
        with pytest.raises(ValidationError):
            SelectionItem(selection=selection, url=url, title="x").full_clean()
    with pytest.raises(ValidationError):
        SelectionItem(selection=selection, title="rien").full_clean()
    with pytest.raises(ValidationError):
        SelectionItem(selection=selection, url="https://ok.example/").full_clean()  # no title


def test_queries_stay_flat(client, theme, make_photo, write_page, territory, django_assert_max_num_queries):
    selection = Selection.objects.create(theme=theme)
    counts = []
    for size in (1, 6):
        for i in range(size):
            _item(selection, photo=make_photo(alt=f"P{size}-{i}"))
            _item(selection, page=write_page(territory["genicart"], f"Page {size}-{i}", "x"))
            _item(selection, url=f"https://l.example/{size}/{i}", title=f"L{size}-{i}")
        client.get(reverse("wiki:theme", args=[theme.slug]))  # renditions made
        with django_assert_max_num_queries(40) as queries:
            client.get(reverse("wiki:theme", args=[theme.slug]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("role", "status"), [("resident", 302), ("moderator", 302), ("staff", 200)])
def test_staff_curate_the_selection_in_the_admin(client, request, role, status):
    client.login(username=request.getfixturevalue(role).email, password=PASSWORD)
    response = client.get(reverse("wagtailsnippets_gallery_selection:add"))
    assert response.status_code == status
    if role == "moderator":  # the admin refuses: back to its dashboard, no form
        assert response["Location"] == "/admin/"
