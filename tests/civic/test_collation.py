"""civic.collation: "Éducation" sorts with the E, in Python and in the database alike."""

import pytest

from civic.collation import by, fold, sort_key
from wiki.models import Theme

NAMES = ["Vie locale", "Éducation et jeunesse", "eau", "Culture", "Œuvres", "Zoo", "Énergie", "Emploi"]
EXPECTED = ["Culture", "eau", "Éducation et jeunesse", "Emploi", "Énergie", "Œuvres", "Vie locale", "Zoo"]


def test_fold():
    assert fold("Œuvres d’Été à Cenon") == "oeuvres d’ete a cenon"


def test_sort_key_ignores_accents_and_case():
    assert sorted(NAMES, key=sort_key) == EXPECTED
    assert sorted(["Eure", "Éure", "eure"], key=sort_key) == ["Eure", "eure", "Éure"]  # ties: by the exact text


@pytest.mark.django_db
def test_the_database_sorts_as_python_does():
    Theme.objects.all().delete()
    for index, name in enumerate(NAMES):
        Theme.objects.create(name=name, slug=f"t{index}")
    assert list(Theme.objects.order_by(*by("name")).values_list("name", flat=True)) == EXPECTED


@pytest.mark.django_db
def test_the_themes_page_lists_education_with_the_e(client):
    Theme.objects.all().delete()
    for index, name in enumerate(["Vie locale", "Éducation", "Culture", "Sport"]):
        Theme.objects.create(name=name, slug=f"t{index}")
    html = client.get("/themes/").text
    positions = [html.index(name) for name in ("Culture", "Éducation", "Sport", "Vie locale")]
    assert positions == sorted(positions)
