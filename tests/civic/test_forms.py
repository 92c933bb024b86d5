"""civic.forms.FormRenderer writes <select> exactly as Django's templates do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from civic.forms import FormRenderer

CHOICES = [
    ("", "---------"),
    ("Lormont", [("1", "Génicart"), ("2", 'Carriet <& "quoted">')]),
    ("3", "Cenon"),
    (4, "Floirac"),
]


class SampleForm(forms.Form):
    place = forms.ChoiceField(choices=CHOICES, required=False, help_text="Where")
    places = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    period = forms.ChoiceField(
        choices=[("30d", "30 days"), ("all", "All time")],
        widget=forms.Select(attrs={"class": "filter", "data-x": 'a"b', "autofocus": True, "hidden": False}),
    )


class CustomOptionSelect(forms.Select):
    option_template_name = "tests/never_used.html"


@pytest.mark.parametrize(
    "data",
    [{}, {"place": "2", "places": ["1", "3"], "period": "all"}, {"place": "4", "period": "nope"}],
)
def test_select_markup_is_the_same_as_djangos(data):
    ours = SampleForm(data or None, renderer=FormRenderer())
    djangos = SampleForm(data or None, renderer=DjangoTemplates())
    for name in ("place", "places", "period"):
        assert str(ours[name]) == str(djangos[name])
    assert str(ours) == str(djangos)


def test_labels_and_attributes_are_escaped():
    html = str(SampleForm(renderer=FormRenderer())["place"])
    assert "Carriet &lt;&amp; &quot;quoted&quot;&gt;" in html
    assert '<optgroup label="Lormont">' in html
    period = str(SampleForm(renderer=FormRenderer())["period"])
    assert 'data-x="a&quot;b"' in period and " autofocus" in period and "hidden" not in period


def test_an_option_template_of_its_own_is_left_to_django(monkeypatch):
    calls = []
    monkeypatch.setattr(DjangoTemplates, "render", lambda self, name, context, request=None: calls.append(name) or "")
    FormRenderer().render(
        "django/forms/widgets/select.html",
        {"widget": CustomOptionSelect(choices=[("1", "one")]).get_context("x", "1", {})["widget"]},
    )
    assert calls == ["django/forms/widgets/select.html"]


def test_the_site_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FormRenderer)
    finally:
        get_default_renderer.cache_clear()


@pytest.mark.django_db
def test_page_choices_list_titles_without_loading_pages(territory, django_assert_num_queries):
    from civic.forms import PageChoiceField
    from wiki.models import CommunePage

    class Filter(forms.Form):
        commune = PageChoiceField(queryset=CommunePage.objects.order_by("title"), required=False, empty_label="All")
        by_slug = PageChoiceField(queryset=CommunePage.objects.order_by("title"), to_field_name="slug", required=False)

    with django_assert_num_queries(1):
        choices = list(iter(Filter().fields["commune"].choices))  # iter: no count() for a length hint
    assert choices == [("", "All"), (territory["cenon"].pk, "Cenon"), (territory["lormont"].pk, "Lormont")]
    assert [value for value, _label in Filter().fields["by_slug"].choices][1:] == ["cenon", "lormont"]

    form = Filter({"commune": str(territory["lormont"].pk), "by_slug": "cenon"})
    assert form.is_valid()
    assert form.cleaned_data["commune"] == territory["lormont"] and form.cleaned_data["by_slug"] == territory["cenon"]
    assert f'<option value="{territory["lormont"].pk}" selected>Lormont</option>' in str(form["commune"])
    assert not Filter({"commune": "999999"}).is_valid()
