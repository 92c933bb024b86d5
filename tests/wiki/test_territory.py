import pytest
from django.core.exceptions import ValidationError
from django.db.models import Subquery
from django.urls import reverse

from tests.conftest import add_page
from wiki import territory as tree
from wiki.models import CommunePage, HomePage, NeighbourhoodPage, RevisionMeta


@pytest.mark.django_db
def test_page_types_keep_the_tree_a_territory(territory):
    assert CommunePage.can_create_at(territory["home"])
    assert not NeighbourhoodPage.can_create_at(territory["home"])
    assert NeighbourhoodPage.can_create_at(territory["lormont"])
    assert not CommunePage.can_create_at(territory["lormont"])
    assert not HomePage.can_create_at(territory["home"])


@pytest.mark.django_db
def test_misplaced_page_is_refused_with_a_french_message(territory):
    with pytest.raises(ValidationError) as refused:
        territory["home"].add_child(instance=NeighbourhoodPage(title="Quartier perdu", slug="perdu"))
    assert "ne peut pas être placé" in str(refused.value)
    assert not NeighbourhoodPage.objects.filter(slug="perdu").exists()


@pytest.mark.django_db
def test_admin_does_not_offer_a_misplaced_page_type(client, territory, staff):
    client.force_login(staff)
    url = reverse("wagtailadmin_pages:add", args=["wiki", "neighbourhoodpage", territory["home"].pk])
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert NeighbourhoodPage.objects.child_of(territory["home"]).count() == 0


@pytest.mark.django_db
def test_invalid_insee_code_is_explained(territory):
    commune = CommunePage(title="Nulle part", slug="nulle-part", insee_code="12")
    with pytest.raises(ValidationError) as refused:
        territory["home"].add_child(instance=commune)
    assert "cinq caractères" in str(refused.value)


@pytest.mark.django_db
def test_public_pages_render_for_every_role(client, territory, any_role):
    role, user = any_role
    if user:
        client.force_login(user)
    for key, expected in [("home", "Lormont"), ("lormont", "Génicart"), ("genicart", "Lormont")]:
        response = client.get(territory[key].url)
        assert response.status_code == 200
        assert expected in response.text
    assert 'lang="fr"' in client.get("/").text


def grow_territory(territory, first, count):
    for i in range(first, first + count):
        add_page(territory["home"], CommunePage(title=f"Commune {i}", slug=f"commune-{i}", insee_code=f"34{i:03d}"))
        add_page(territory["lormont"], NeighbourhoodPage(title=f"Quartier {i}", slug=f"quartier-{i}"))


@pytest.mark.django_db
def test_home_and_commune_queries_do_not_grow_with_the_territory(client, territory, django_assert_max_num_queries):
    client.get("/")  # warm Wagtail's site cache
    counts = []
    for first, count in ((0, 1), (100, 20)):
        grow_territory(territory, first, count)
        with django_assert_max_num_queries(12) as home_queries:
            assert client.get("/").status_code == 200
        # A commune has a discussion below it (its count and its latest conversations, discussion.listing)
        # and the community manager's selection "À la une" (gallery): one query for its items.
        with django_assert_max_num_queries(15) as commune_queries:
            assert client.get(territory["lormont"].url).status_code == 200
        counts.append((len(home_queries), len(commune_queries)))
    assert counts[0] == counts[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("resident", 302), ("moderator", 200), ("staff", 200)]
)
def test_wagtail_admin_is_open_to_moderators_and_staff_only(client, request, role, status):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response.url


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client, territory):
    response = client.get("/nowhere-at-all/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


# -- wiki/territory.py: the rules about the tree, in one module ------------


@pytest.mark.django_db
def test_each_level_sits_at_its_depth(territory):
    assert territory["home"].depth == tree.HOME_DEPTH
    assert {territory[k].depth for k in ("lormont", "cenon")} == {tree.COMMUNE_DEPTH}
    assert {territory[k].depth for k in ("genicart", "carriet", "palmer")} == {tree.NEIGHBOURHOOD_DEPTH}
    assert tree.home().pk == territory["home"].pk


@pytest.mark.django_db
def test_lists_of_communes_and_neighbourhoods_are_live_and_by_title(territory):
    assert [c.title for c in tree.communes()] == sorted(c.title for c in CommunePage.objects.live())
    assert [c.pk for c in tree.communes(territory["home"])] == [c.pk for c in tree.communes()]
    territory["carriet"].unpublish()
    assert [n.pk for n in tree.neighbourhoods(territory["lormont"])] == [territory["genicart"].pk]
    everywhere = {n.pk for n in tree.neighbourhoods()}
    assert territory["palmer"].pk in everywhere and territory["carriet"].pk not in everywhere
    assert tree.commune_from(territory["cenon"].slug).pk == territory["cenon"].pk
    assert tree.commune_from("nowhere") is None and tree.commune_from("") is None


@pytest.mark.django_db
def test_which_commune_and_neighbourhood_a_page_is_in(territory, write_page):
    page = write_page(territory["genicart"], "Parc des Coteaux")
    assert tree.commune_of(page).pk == territory["lormont"].pk
    assert tree.neighbourhood_of(page).pk == territory["genicart"].pk
    assert tree.nearest_place(page).pk == territory["genicart"].pk
    assert tree.commune_of(territory["lormont"]).pk == territory["lormont"].pk
    assert tree.neighbourhood_of(territory["lormont"]) is None
    assert tree.nearest_place(territory["home"]) is None
    assert territory["genicart"].commune.pk == territory["lormont"].pk
    expected = [territory["home"].pk, territory["lormont"].pk, territory["genicart"].pk]
    assert [p.pk for p in tree.breadcrumbs(page)] == expected


@pytest.mark.django_db
def test_under_a_place_and_the_commune_title_of_a_page(territory, write_page):
    in_lormont = write_page(territory["genicart"], "Parc des Coteaux")
    in_cenon = write_page(territory["palmer"], "Marché de Palmer")
    under_lormont = set(RevisionMeta.objects.filter(tree.under(territory["lormont"])).values_list("page_id", flat=True))
    assert in_lormont.pk in under_lormont and in_cenon.pk not in under_lormont
    titles = dict(
        RevisionMeta.objects.annotate(commune=Subquery(tree.commune_title("page__path"))).values_list(
            "page_id", "commune"
        )
    )
    assert (titles[in_lormont.pk], titles[in_cenon.pk]) == (territory["lormont"].title, territory["cenon"].title)


@pytest.mark.django_db
def test_place_choices_label_neighbourhoods_with_their_commune(territory, write_page):
    page = write_page(territory["genicart"], "Parc des Coteaux")
    choices = dict(tree.place_choices(page))
    assert choices[territory["genicart"].pk] == f"{territory['lormont'].title} › {territory['genicart'].title}"
    assert choices[territory["cenon"].pk] == territory["cenon"].title
    assert territory["home"].pk not in choices
