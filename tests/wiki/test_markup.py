"""wiki.markup: Markdown with tables, fenced code and wiki links, rendered once and cleaned."""

import pytest

from wiki.markup import normalise_source, plain_text, render, title_key, wiki_link_titles


class FakeResolver:
    def __init__(self, pages):
        self.pages = {title_key(title): url for title, url in pages.items()}
        self.calls = []

    def resolve(self, titles):
        self.calls.append(list(titles))
        return {title_key(t): self.pages[title_key(t)] for t in titles if title_key(t) in self.pages}

    def new_page_url(self, title):
        return f"/new/?title={title}"


def test_markdown_basics_tables_and_fenced_code():
    html = str(render("# Titre\n\n*un* **deux**\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```\n<b>code</b>\n```"))
    assert "<h1>Titre</h1>" in html
    assert "<em>un</em> <strong>deux</strong>" in html
    assert '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert "<pre><code>&lt;b&gt;code&lt;/b&gt;\n</code></pre>" in html


def test_wiki_links_resolve_case_insensitively_in_one_call():
    resolver = FakeResolver({"Génicart": "/lormont/genicart/"})
    html = str(render("[[génicart]], [[GÉNICART|le quartier]] et [[Génicart]]", resolver))
    assert html.count('href="/lormont/genicart/"') == 3
    assert '<a class="wiki-link" href="/lormont/genicart/">le quartier</a>' in html
    assert len(resolver.calls) == 1


def test_missing_page_is_a_red_link_to_the_creation_form():
    html = str(render("Voir [[Piscine municipale]].", FakeResolver({})))
    assert 'class="wiki-link new"' in html
    assert 'href="/new/?title=Piscine municipale"' in html
    assert ">Piscine municipale</a>" in html


def test_without_resolver_links_are_plain_text():
    assert str(render("[[Quelque part|ici]]")) == "<p>ici</p>"


def test_wiki_links_in_code_are_left_alone():
    source = "`[[Pas un lien]]`\n\n```\n[[Non plus]]\n```\n\n[[Oui]]"
    assert wiki_link_titles(source) == ["Oui"]
    assert "[[Pas un lien]]" in str(render(source))


def test_label_markup_is_text():
    html = str(render("[[Page|**gras** <i>x</i>]]", FakeResolver({"Page": "/p/"})))
    assert "&lt;i&gt;" in html and "**gras**" in html


def test_titles_are_normalised():
    assert wiki_link_titles("[[Le_Bourg]] [[ le  bourg ]] [[Parc]]") == ["Le Bourg", "Parc"]


def test_line_endings_are_normalised():
    assert normalise_source("a\r\nb  \r\n\r\n") == "a\nb"


def test_plain_text_for_excerpts():
    assert plain_text("# Le parc\n\nUn *grand* parc & ses arbres.", limit=20) == "Le parc Un grand…"


@pytest.mark.parametrize("source", ["", "   ", "\n\n"])
def test_empty_source(source):
    assert str(render(source)) == ""


def test_bare_urls_become_links_but_not_in_code_or_links():
    html = str(render("Voir https://www.bordeaux-metropole.fr/tram. Et `https://example.fr`."))
    assert '<a href="https://www.bordeaux-metropole.fr/tram" rel="nofollow ugc noopener">' in html
    assert "<code>https://example.fr</code>" in html
    html = str(render("[le site](https://example.fr/) et [https://a.example/](https://a.example/)"))
    assert html.count("<a ") == 2
    assert "<a" not in str(render("data:text/html,abc et javascript:alert(1)"))


def test_lists_quotes_and_numbered_lists_keep_their_start():
    html = str(render("> citation\n\n3. trois\n4. quatre\n\n- a\n  - b"))
    assert "<blockquote>\n<p>citation</p>\n</blockquote>" in html
    assert '<ol start="3">' in html
    assert "<ul>\n<li>a\n<ul>\n<li>b</li>" in html


def test_nesting_deeper_than_the_limit_stays_text():
    from wiki.markup import MAX_NESTING

    html = str(render("*a " * 100 + "b" + " a*" * 100))
    assert html.count("<em>") == MAX_NESTING
    assert str(render(">" * 100 + " a")).count("<blockquote>") <= MAX_NESTING


def test_raw_html_over_the_budget_is_shown_as_text():
    from wiki.markup import MAX_RAW_HTML_DEPTH

    assert "<b>" in str(render("<b>gras</b> " * 10))
    html = str(render("<b>" * (MAX_RAW_HTML_DEPTH + 1) + "x"))
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_a_text_of_too_many_elements_is_shown_as_plain_paragraphs():
    from wiki.markup import MAX_TOKENS

    assert "<code>" in str(render("a`b` " * 100))
    html = str(render("a`b` " * MAX_TOKENS))
    assert "<code>" not in html and html.startswith("<p>a`b` a`b`")
