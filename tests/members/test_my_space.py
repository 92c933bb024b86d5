"""/me/: "My workshops" and "My pages and comments", only when they exist and only what the member may see."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from discussion import services as discussion
from wiki import services as wiki
from workshops import services as workshops
from workshops.models import Registration, WorkshopPage

pytestmark = pytest.mark.django_db

ME = "/me/"


@pytest.fixture(autouse=True)
def _no_comment_limits(monkeypatch):
    monkeypatch.setattr("discussion.services.check_rate", lambda *args, **kwargs: None)


@pytest.fixture
def other_resident(make_user):
    return make_user("karim@example.fr", pseudonym="Karim")


@pytest.fixture
def write_page(resident):
    def write(parent, title, body="", *, user=None):
        return wiki.create_page(user or resident, parent, title, body, "")

    return write


def section(html, testid):
    return html.split(f'data-testid="{testid}"')[1].split("</ul>")[0]


def test_a_new_member_sees_neither_section(client, resident, territory):
    client.force_login(resident)
    html = client.get(ME).text
    assert 'id="my-workshops"' not in html and 'id="my-contributions"' not in html


def test_my_workshops_upcoming_and_past(client, resident, make_workshop, staff):
    member = resident.member
    coming = make_workshop(title="Atelier vélo")
    workshops.register(member, coming)
    past = make_workshop(title="Atelier jardin", starts_at=timezone.now() - timedelta(days=3))
    registration = Registration.objects.create(member=member, workshop=past, status=Registration.Status.CONFIRMED)
    workshops.check_in(registration, True, by=staff)
    WorkshopPage.objects.filter(pk=past.pk).update(writeup="<p>Bilan</p>", attendee_count=12)
    declined = make_workshop(title="Atelier refusé")
    Registration.objects.create(member=member, workshop=declined, status=Registration.Status.DECLINED)
    client.force_login(resident)
    html = client.get(ME).text
    assert "Mes ateliers" in html
    upcoming = section(html, "my-upcoming-workshops")
    code = Registration.objects.get(workshop=coming).code
    assert "Atelier vélo" in upcoming and code in upcoming and f'href="{coming.url}event.ics"' in upcoming
    assert "/workshops-rsvp/calendar/" in html
    earlier = section(html, "my-past-workshops")
    assert "Atelier jardin" in earlier and "Vous avez participé" in earlier and f"{past.url}#writeup-title" in earlier
    assert "Atelier refusé" not in html


def test_a_private_workshop_leaves_my_list_when_i_may_no_longer_see_it(client, resident, make_workshop, make_user):
    from django.contrib.auth.models import Group

    council = Group.objects.create(name="Conseil")
    closed = make_workshop(title="Atelier du conseil")
    workshops.register(resident.member, closed)
    restriction = PageViewRestriction.objects.create(page=closed, restriction_type="groups")
    restriction.groups.add(council)
    client.force_login(resident)
    assert 'id="my-workshops"' not in client.get(ME).text


def test_my_pages_and_comments(client, resident, other_resident, territory, write_page):
    mine = write_page(territory["genicart"], "Le marché", "Le samedi.")
    theirs = write_page(territory["palmer"], "La piscine", "Ouverte.", user=other_resident)
    wiki.edit_page(
        resident,
        theirs,
        base_revision_id=theirs.latest_revision_id,
        title=theirs.title,
        body="Ouverte le dimanche.",
        summary="",
    )
    write_page(territory["carriet"], "Pas à moi", user=other_resident)
    discussion.post_comment(resident, mine, "Vivement samedi prochain pour les fraises.")
    gone = discussion.post_comment(resident, theirs, "Commentaire retiré.")
    discussion.delete_comment(resident, gone)
    client.force_login(resident)
    html = client.get(ME).text
    assert "Mes pages et commentaires" in html
    pages = section(html, "my-pages")
    assert pages.index("La piscine") < pages.index("Le marché")  # the last edited first
    assert "créée par vous" in pages.split("Le marché")[1] and "créée par vous" not in pages.split("Le marché")[0]
    assert "Pas à moi" not in html
    comments = section(html, "my-comments")
    assert "Vivement samedi prochain" in comments and "Commentaire retiré" not in comments


def test_a_page_i_may_no_longer_see_leaves_my_pages(client, resident, territory, write_page):
    from django.contrib.auth.models import Group

    secret = write_page(territory["genicart"], "Budget du conseil")
    restriction = PageViewRestriction.objects.create(page=secret, restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Conseil"))
    discussion.post_comment(resident, write_page(territory["genicart"], "Visible"), "Un mot.")
    client.force_login(resident)
    html = client.get(ME).text
    assert "Visible" in html and "Budget du conseil" not in html


def _activity(resident, territory, make_workshop, count):
    for number in range(count):
        page = wiki.create_page(resident, territory["genicart"], f"Page {number}", "Texte.", "")
        discussion.post_comment(resident, page, f"Commentaire numéro {number}.")
        workshop = make_workshop(title=f"Atelier {number}", slug=f"atelier-x{number}")
        workshops.register(resident.member, workshop)
        past = make_workshop(slug=f"passe-{number}", starts_at=timezone.now() - timedelta(days=number + 2))
        Registration.objects.create(member=resident.member, workshop=past, status=Registration.Status.ATTENDED)


@pytest.mark.parametrize("count", [1, 8])
def test_my_space_takes_the_same_queries_with_more_activity(
    client, resident, territory, make_workshop, django_assert_max_num_queries, count
):
    _activity(resident, territory, make_workshop, count)
    client.force_login(resident)
    client.get(ME)
    with django_assert_max_num_queries(29):  # the page's sections, moderation decisions included
        html = client.get(ME).text
    assert html.count('<li><a href="/lormont/genicart/page-') == count
    assert section(html, "my-past-workshops").count("<li>") == count
