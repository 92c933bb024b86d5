"""Edit rate limits: saves per hour and new pages per day, counted in the database."""

import re
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import timezone, translation
from django.utils.html import escape
from wagtail.models import Revision, Site

from members.models import Activity
from tests.wiki.conftest import edit
from wiki import ratelimits, services
from wiki.models import RevisionMeta, WikiPage, WikiSettings
from wiki.ratelimits import RateLimited

pytestmark = pytest.mark.django_db

TEXT = "Le marché a lieu le samedi."
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def limits(territory, rate_limits):
    """Small limits keep the tests short: new accounts (under 7 days) 3 saves an hour and 2 new pages a day."""
    wiki_settings = WikiSettings.for_site(Site.objects.get(is_default_site=True))
    wiki_settings.new_account_days = 7
    wiki_settings.edits_per_hour_new = 3
    wiki_settings.edits_per_hour = 5
    wiki_settings.pages_per_day_new = 2
    wiki_settings.pages_per_day = 4
    wiki_settings.save()
    return wiki_settings


def fresh_user(user):
    return get_user_model().objects.get(pk=user.pk)


def backdate_account(user, days):
    get_user_model().objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))
    return fresh_user(user)


def set_times(user, times):
    """Move `user`'s revisions, oldest first, to `times` (explicit moments instead of waiting)."""
    revisions = list(Revision.objects.filter(user=user).order_by("pk"))
    assert len(revisions) == len(times)
    for revision, moment in zip(revisions, times, strict=True):
        Revision.objects.filter(pk=revision.pk).update(created_at=moment)


@pytest.fixture
def market(territory, make_user):
    author = make_user("auteur@example.fr", pseudonym="Auteur")
    return services.create_page(author, territory["genicart"], "Le marché", TEXT)


def revision_count():
    return Revision.objects.count()


# The service ---------------------------------------------------------------------------------


def test_a_new_account_reaches_the_hourly_limit_and_nothing_is_saved(market, resident):
    for i in range(3):
        edit(market, resident, f"Version {i}")
    before, ledger = revision_count(), Activity.objects.count()
    with pytest.raises(RateLimited) as caught:
        edit(market, resident, "Version de trop")
    assert revision_count() == before and Activity.objects.count() == ledger
    assert WikiPage.objects.get(pk=market.pk).body == "Version 2"
    first = Revision.objects.filter(user=resident).order_by("created_at").first()
    assert caught.value.kind == ratelimits.EDIT and caught.value.limit == 3
    assert caught.value.retry_at == first.created_at + timedelta(hours=1)
    assert caught.value.new_account


def test_an_established_account_has_the_higher_limit(market, resident):
    resident = backdate_account(resident, 8)
    for i in range(5):
        edit(market, resident, f"Version {i}")
    with pytest.raises(RateLimited) as caught:
        edit(market, resident, "Version de trop")
    assert caught.value.limit == 5 and not caught.value.new_account


def test_the_window_slides_explicit_times(market, resident):
    for i in range(3):
        edit(market, resident, f"Version {i}")
    now = datetime(2030, 5, 14, 12, 0, tzinfo=PARIS)
    get_user_model().objects.filter(pk=resident.pk).update(date_joined=now - timedelta(days=1))
    resident = fresh_user(resident)
    set_times(resident, [now - timedelta(minutes=59), now - timedelta(minutes=30), now - timedelta(minutes=10)])
    with pytest.raises(RateLimited) as caught:
        ratelimits.check(resident, now=now)
    assert caught.value.retry_at == now + timedelta(minutes=1)
    with pytest.raises(RateLimited):
        ratelimits.check(resident, now=now + timedelta(seconds=59))
    ratelimits.check(resident, now=now + timedelta(minutes=1))  # the oldest save left the window
    # Saves older than an hour never count.
    set_times(resident, [now - timedelta(hours=3)] * 3)
    ratelimits.check(resident, now=now)


def test_the_daily_limit_of_new_pages(territory, resident, limits):
    limits.edits_per_hour_new = 100
    limits.save()
    now = timezone.now()
    services.create_page(resident, territory["genicart"], "Page 1", "x")
    services.create_page(resident, territory["carriet"], "Page 2", "x")
    with pytest.raises(RateLimited) as caught:
        services.create_page(resident, territory["palmer"], "Page 3", "x")
    assert caught.value.kind == ratelimits.NEW_PAGE and caught.value.limit == 2
    assert not WikiPage.objects.filter(title="Page 3").exists()
    first = Revision.objects.filter(user=resident).order_by("created_at").first().created_at
    assert caught.value.retry_at == first + timedelta(days=1)
    assert caught.value.retry_at > now + timedelta(hours=23)
    # Edits are still allowed: only new pages wait.
    edit(WikiPage.objects.get(title="Page 1"), resident, "Plus long")
    # A day later, a new page again.
    set_times(resident, [now - timedelta(hours=25)] * 3)
    services.create_page(resident, territory["palmer"], "Page 3", "x")


def test_new_pages_count_as_edits_too(territory, resident, market):
    services.create_page(resident, territory["genicart"], "Page 1", "x")
    edit(market, resident, "a")
    edit(market, resident, "b")
    with pytest.raises(RateLimited) as caught:
        edit(market, resident, "c")
    assert caught.value.kind == ratelimits.EDIT


def test_undo_and_restore_count_and_are_limited(market, resident, make_user):
    vandal = make_user("vandale@example.fr", pseudonym="Vandale")
    spam = edit(market, vandal, TEXT + "\n\nPub").revision
    first = services.page_revisions(market).order_by("pk").first()
    services.undo(resident, market, spam.pk)
    edit(market, resident, "Autre")
    services.restore(resident, market, first.pk)
    assert RevisionMeta.objects.filter(revision__user=resident).count() == 3
    edit(market, vandal, "Pub encore")
    with pytest.raises(RateLimited):
        services.restore(resident, market, first.pk)
    assert WikiPage.objects.get(pk=market.pk).body == "Pub encore"


def test_renaming_counts_and_is_limited(market, resident, territory):
    for i in range(3):
        edit(market, resident, f"Version {i}")
    with pytest.raises(RateLimited):
        services.move_page(resident, market, title="Le grand marché", parent=territory["genicart"])
    assert WikiPage.objects.get(pk=market.pk).title == "Le marché"


@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_moderators_and_staff_are_exempt(request, market, territory, role, limits):
    user = request.getfixturevalue(role)
    for i in range(6):
        edit(market, user, f"Version {i}")
    for i in range(3):
        services.create_page(user, territory["palmer"], f"Page {i}", "x")
    assert ratelimits.limits_for(user) is None
    assert RevisionMeta.objects.filter(revision__user=user).count() == 9


def test_a_limit_of_zero_is_no_limit(market, resident, limits):
    limits.edits_per_hour_new = 0
    limits.save()
    for i in range(6):
        edit(market, resident, f"Version {i}")
    assert WikiPage.objects.get(pk=market.pk).body == "Version 5"


def test_the_settings_change_the_outcome(market, resident, limits):
    for i in range(3):
        edit(market, resident, f"Version {i}")
    with pytest.raises(RateLimited):
        edit(market, resident, "Version 3")
    limits.new_account_days = 0  # nobody counts as new: the established limit (5) applies
    limits.save()
    edit(market, resident, "Version 3")
    limits.edits_per_hour = 4
    limits.save()
    with pytest.raises(RateLimited):
        edit(market, resident, "Version 4")


def test_other_members_saves_do_not_count(market, resident, other_resident):
    for i in range(3):
        edit(market, other_resident, f"Version {i}")
    edit(market, resident, "Ma version")


def test_a_save_that_changes_nothing_is_not_refused(market, resident):
    for i in range(3):
        edit(market, resident, f"Version {i}")
    outcome = edit(market, resident, "Version 2")  # nothing to save
    assert outcome.unchanged


# The message -------------------------------------------------------------------------------------


def test_the_message_says_when_to_try_again():
    now = datetime(2030, 5, 14, 14, 20, 30, tzinfo=PARIS)
    error = RateLimited(
        kind=ratelimits.EDIT,
        limit=10,
        retry_at=datetime(2030, 5, 14, 14, 31, 10, tzinfo=PARIS),
        new_account=True,
        new_account_days=7,
        now=now,
    )
    with translation.override("en"), timezone.override(PARIS):
        message = error.message
    assert "10 edits per hour" in message and "7 days" in message
    assert "You can save again at 2:32 p.m., in 11\xa0minutes." in message  # rounded up to the minute
    with translation.override("fr"), timezone.override(PARIS):
        assert "14:32" in error.message
    assert error.retry_after == 640


def test_the_message_gives_the_day_when_it_is_not_today():
    now = datetime(2030, 5, 14, 18, 0, tzinfo=PARIS)
    error = RateLimited(
        kind=ratelimits.NEW_PAGE,
        limit=1,
        retry_at=datetime(2030, 5, 15, 9, 5, tzinfo=PARIS),
        new_account=False,
        new_account_days=7,
        now=now,
    )
    with translation.override("en"), timezone.override(PARIS):
        message = error.message
    assert "1 new page per day" in message and "days have" not in message
    assert "May 15" in message and "9:05" in message and "15\xa0hours" in message


# The views ----------------------------------------------------------------------------------------


def test_the_edit_form_answers_429_and_keeps_the_text(client, market, resident):
    for i in range(3):
        edit(market, resident, f"Version {i}")
    before = revision_count()
    client.force_login(resident)
    mine = "Mon texte soigneusement écrit, à ne pas perdre."
    page = WikiPage.objects.get(pk=market.pk)
    response = client.post(
        page.url + "edit/",
        {"title": page.title, "body": mine, "summary": "détails", "base_revision_id": page.latest_revision_id},
    )
    assert response.status_code == 429
    assert revision_count() == before and WikiPage.objects.get(pk=market.pk).body == "Version 2"
    html = response.text
    assert escape(mine) in html and 'value="détails"' in html
    assert 'class="message message-error rate-limit-notice" role="alert"' in html
    first = Revision.objects.filter(user=resident).order_by("created_at").first().created_at
    retry = timezone.localtime(first + timedelta(hours=1))
    shown = retry.replace(second=0, microsecond=0) + timedelta(minutes=1 if retry.second or retry.microsecond else 0)
    assert shown.strftime("%H:%M") in html
    assert 0 < int(response["Retry-After"]) <= 3600
    # The form still saves once the hour has passed.
    Revision.objects.filter(user=resident).update(created_at=timezone.now() - timedelta(hours=2))
    data = {
        "title": page.title,
        "body": mine,
        "summary": "",
        "base_revision_id": re.search(r'name="base_revision_id" value="(\d+)"', html).group(1),
    }
    assert client.post(page.url + "edit/", data).status_code == 302
    assert WikiPage.objects.get(pk=market.pk).body == mine


def test_the_new_page_form_answers_429_and_keeps_the_text(client, territory, resident, limits):
    limits.edits_per_hour_new = 100
    limits.save()
    services.create_page(resident, territory["carriet"], "Page 1", "x")
    services.create_page(resident, territory["carriet"], "Page 2", "x")
    client.force_login(resident)
    response = client.post(
        territory["genicart"].url + "new/", {"kind": "wiki", "title": "La piscine", "body": "Bassin de 25 m."}
    )
    assert response.status_code == 429
    assert 'value="La piscine"' in response.text and "Bassin de 25 m." in response.text
    assert "rate-limit-notice" in response.text and "Retry-After" in response
    assert not WikiPage.objects.filter(title="La piscine").exists()


def test_preview_is_not_limited_by_the_save_limit(client, market, resident):
    for i in range(3):
        edit(market, resident, f"Version {i}")
    client.force_login(resident)
    page = WikiPage.objects.get(pk=market.pk)
    response = client.post(
        page.url + "edit/",
        {"title": page.title, "body": "*essai*", "base_revision_id": page.latest_revision_id, "preview": "1"},
    )
    assert response.status_code == 200 and "<em>essai</em>" in response.text


def test_an_undo_over_the_limit_is_explained_in_the_history(client, market, resident, make_user):
    vandal = make_user("vandale@example.fr", pseudonym="Vandale")
    spam = edit(market, vandal, TEXT + "\n\nPub").revision.pk
    other = services.create_page(resident, market.get_parent(), "Autre", "x")  # 3 saves: the limit
    edit(other, resident, "y")
    edit(other, resident, "z")
    client.force_login(resident)
    before = revision_count()
    response = client.post(f"{market.url}undo/{spam}/", follow=True)
    assert response.status_code == 200
    assert 'class="message message-error"' in response.text and "3" in response.text
    assert revision_count() == before
    assert WikiPage.objects.get(pk=market.pk).body == TEXT + "\n\nPub"


def test_moderators_are_not_limited_through_the_views(client, market, moderator):
    client.force_login(moderator)
    for i in range(5):
        page = WikiPage.objects.get(pk=market.pk)
        response = client.post(
            page.url + "edit/",
            {"title": page.title, "body": f"Version {i}", "base_revision_id": page.latest_revision_id},
        )
        assert response.status_code == 302


@pytest.mark.parametrize(
    "data",
    [{}, {"title": ""}, {"title": "x", "body": "x" * 100_001}, {"title": "x", "base_revision_id": "abc"}],
)
def test_bad_input_at_the_limit_is_never_a_500(client, market, resident, data):
    for i in range(3):
        edit(market, resident, f"Version {i}")
    client.force_login(resident)
    response = client.post(market.url + "edit/", data)
    assert response.status_code in (200, 429)


# Several app servers (PostgreSQL) -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_creations_by_one_member_never_pass_the_limit(territory, resident, limits):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; run with DATABASE_URL=postgres://...")
    limits.edits_per_hour_new = 100
    limits.save()
    services.create_page(resident, territory["carriet"], "Première", "x")
    places = [territory["genicart"], territory["palmer"], territory["lormont"], territory["cenon"]]
    barrier = threading.Barrier(len(places))
    outcomes, errors = [], []

    def create(index):
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.create_page(fresh_user(resident), places[index], f"Page {index}", "x"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(len(places))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 1
    assert len(errors) == 3 and all(isinstance(error, RateLimited) for error in errors)
    assert WikiPage.objects.filter(owner=resident).count() == 2


# Previews and diffs --------------------------------------------------------------------------


@pytest.fixture
def request_limits(settings):
    settings.WIKI_REQUEST_LIMITS = {ratelimits.PREVIEW: 2, ratelimits.DIFF: 2}


def preview(client, page, body):
    data = {"title": page.title, "body": body, "base_revision_id": page.latest_revision_id, "preview": "1"}
    return client.post(page.url + "edit/", data)


def test_previews_over_the_limit_answer_429_and_keep_the_text(client, market, resident, request_limits):
    client.force_login(resident)
    for i in range(2):
        assert preview(client, market, f"*essai {i}*").status_code == 200
    response = preview(client, market, "Mon texte *précieux*")
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60
    assert "Vous avez demandé plus de 2 aperçus en une minute." in response.text
    assert "Mon texte *précieux*" in response.text  # still in the form
    assert "<em>précieux</em>" not in response.text
    assert WikiPage.objects.get(pk=market.pk).body == TEXT


def test_the_new_page_preview_is_limited_too(client, territory, resident, request_limits):
    client.force_login(resident)
    place = territory["genicart"]
    data = {"title": "Le square", "body": "*essai*", "kind": "wiki", "preview": "1"}
    assert [client.post(place.url + "new/", data).status_code for _ in range(3)] == [200, 200, 429]


def test_moderators_preview_without_limit(client, market, moderator, request_limits):
    client.force_login(moderator)
    assert {preview(client, market, "*essai*").status_code for _ in range(4)} == {200}


def test_the_preview_count_is_per_member_and_per_minute(market, resident, other_resident, request_limits, rf):
    minute = datetime(2026, 5, 4, 10, 0, 5, tzinfo=PARIS)
    mine, theirs = rf.post("/"), rf.post("/")
    mine.user, theirs.user = fresh_user(resident), fresh_user(other_resident)
    for _ in range(2):
        ratelimits.check_preview(mine, now=minute)
    with pytest.raises(ratelimits.RequestsLimited) as caught:
        ratelimits.check_preview(mine, now=minute + timedelta(seconds=30))
    assert caught.value.retry_at == minute.replace(second=0) + timedelta(minutes=1)
    ratelimits.check_preview(theirs, now=minute)  # another member counts apart
    ratelimits.check_preview(mine, now=minute + timedelta(minutes=1))  # a new minute


def test_anonymous_diffs_are_limited_per_address(client, market, other_resident, request_limits):
    old = market.latest_revision_id
    new = edit(market, other_resident, TEXT.replace("samedi", "dimanche")).revision.pk
    url = f"{market.url}diff/{old}/{new}/"
    statuses = [client.get(url, {"q": i}).status_code for i in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get(url)
    assert "comparaisons de versions en une minute" in response.text and "dimanche" not in response.text
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200  # another address


def test_the_address_behind_our_proxies_is_the_one_they_saw(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.9, 203.0.113.5", REMOTE_ADDR="192.168.0.2")
    assert ratelimits.client_address(request) == "192.168.0.2"  # no proxy declared: nothing forwarded is trusted
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # TRUSTED_PROXY_COUNT in the environment
    assert ratelimits.client_address(request) == "203.0.113.5"  # "10.0.0.9" could be forged by the visitor


def test_a_short_forwarded_header_falls_back_to_the_peer_address(rf, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5", REMOTE_ADDR="192.168.0.2")
    assert ratelimits.client_address(request) == "192.168.0.2"
