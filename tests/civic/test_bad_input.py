"""Each request of issue 12 that answered 500, answered now with a 4xx or a form error (SQLite and PostgreSQL)."""

from datetime import datetime, timedelta

import pytest
from django import forms
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from civic.forms import PageChoiceField
from civic.params import MAX_ID, BoundedDateTimeField, IdMultipleChoiceField
from members.models import Member
from wiki import services
from wiki.models import CommunePage, RevisionMeta, Theme
from wiki.search import clean_query
from workshops.forms import MAX_ANSWER_HOURS, RescheduleForm, WaveForm
from workshops.models import InvitationWave

HUGE = "9" * 23  # 99999999999999999999999, the value of the issue
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def english():
    with override("en"):
        yield


@pytest.fixture
def crash_client():
    """A client that fails the test with the traceback of any crash, instead of a bare 500."""
    return Client(raise_request_exception=True)


@pytest.fixture
def page(territory, resident):
    return services.create_page(resident, territory["genicart"], "Le marché", "Le samedi matin.")


# Search ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", ['"', 'a"b', "\x00", "a\x00b", "'", "*", "NEAR(", "a OR", "-x", "^", "col:x"])
def test_search_answers_any_query(crash_client, page, query):
    response = crash_client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_search_still_finds_the_words_around_the_quotes(crash_client, page):
    response = crash_client.get("/search/", {"q": '"marché"'})
    assert response.status_code == 200
    assert [r["page"].pk for r in response.context["results"]] == [page.pk]


def test_clean_query_keeps_words_only_and_bounded():
    assert clean_query('a"b') == "a b"
    assert clean_query("rue\x00du marché") == "rue du marché"
    assert clean_query("l'école") == "l école"
    assert clean_query(" ".join(["mot"] * 100)).count("mot") == 20
    assert clean_query('"""') == ""


# Leaderboard, workshops, engaged residents: filters --------------------------------------


@pytest.mark.parametrize("param", ["commune", "neighbourhood"])
@pytest.mark.parametrize("value", [HUGE, "²", "٣", "-1", "\x00"])
def test_leaderboard_refuses_an_unknown_place(crash_client, territory, param, value):
    response = crash_client.get("/leaderboard/", {param: value})
    assert response.status_code == 400
    assert response.context["form"].errors[param]


@pytest.mark.parametrize("value", [HUGE, "²", "\x00"])
def test_workshop_index_refuses_an_unknown_commune(crash_client, workshop_index, value):
    response = crash_client.get(workshop_index.url, {"commune": value})
    assert response.status_code == 200
    assert response.context["form"].errors["commune"]


@pytest.mark.parametrize("value", [HUGE, "²", "\x00"])
def test_engaged_residents_report_refuses_an_unknown_commune(crash_client, staff, territory, value):
    crash_client.force_login(staff)
    response = crash_client.get("/admin/engaged-residents/", {"commune": value})
    assert response.status_code == 400


def test_page_choice_field_says_select_a_valid_choice(territory):
    class Form(forms.Form):
        commune = PageChoiceField(queryset=CommunePage.objects.all())

    for value in [HUGE, str(MAX_ID + 1), "²", "٣", "1.5"]:
        form = Form(data={"commune": value})
        assert not form.is_valid()
        assert "Select a valid choice" in form.errors["commune"][0]
    lormont = territory["lormont"]
    assert Form(data={"commune": str(lormont.pk)}).is_valid()


def test_id_multiple_choice_field_refuses_hostile_and_too_many(territory):
    class Form(forms.Form):
        themes = IdMultipleChoiceField(queryset=Theme.objects.all(), max_choices=3)

    for value in [[HUGE], ["²"], ["1", "٣"]]:
        assert "themes" in Form(data={"themes": value}).errors
    assert "at most 3" in Form(data={"themes": ["1", "2", "3", "4"]}).errors["themes"][0]


# Edits, restore, profile --------------------------------------------------------------


@pytest.mark.parametrize("value", [HUGE, "²"])
def test_an_edit_with_an_impossible_theme_is_a_form_error(crash_client, page, resident, value):
    crash_client.force_login(resident)
    data = {"title": page.title, "body": "Changé.", "base_revision_id": page.latest_revision_id, "themes": [value]}
    response = crash_client.post(page.url + "edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["themes"]


@pytest.mark.parametrize("action", ["restore", "undo", "changes"])
def test_a_huge_revision_id_is_not_found(crash_client, page, resident, action):
    crash_client.force_login(resident)
    assert crash_client.post(f"{page.url}{action}/{HUGE}/").status_code == 404
    assert crash_client.get(f"{page.url}diff/{HUGE}/{HUGE}/").status_code == 404


@pytest.mark.parametrize("value", [HUGE, "²"])
def test_profile_refuses_an_impossible_commune(crash_client, resident, territory, value):
    crash_client.force_login(resident)
    response = crash_client.post("/me/", {"pseudonym": "Nadia", "commune": value, "neighbourhood": value})
    assert response.status_code == 200
    assert response.context["form"].errors


# Workshops: invite, reschedule, waves ----------------------------------------------------


@pytest.mark.parametrize("value", [HUGE, "²", "٣"])
def test_workshop_invite_ignores_impossible_members(crash_client, staff, make_workshop, resident, value):
    workshop = make_workshop()
    crash_client.force_login(staff)
    response = crash_client.get(workshop.url + "invite/", {"members": [value, str(resident.member.pk)]})
    assert response.status_code == 200
    assert response.context["form"].initial["members"] == [resident.member.pk]
    assert crash_client.get("/workshops-rsvp/invite/", {"members": [value]}).status_code == 200
    response = crash_client.post(workshop.url + "invite/", {"members": [value]})
    assert response.status_code == 200 and response.context["form"].errors["members"]


@pytest.mark.parametrize("year", [1, 9999])
def test_reschedule_refuses_a_date_out_of_range(year):
    form = RescheduleForm(
        data={
            "starts_at": f"{year:04d}-01-01T10:00",
            "ends_at": f"{year:04d}-01-01T12:00",
            "venue_name": "Salle",
            "address": "1 rue",
        }
    )
    assert not form.is_valid()
    assert "Enter a date between" in form.errors["starts_at"][0]


def test_bounded_date_time_field_accepts_near_dates():
    field = BoundedDateTimeField(years=5)
    soon = timezone.localtime() + timedelta(days=30)
    assert field.clean(soon.strftime("%Y-%m-%d %H:%M")).date() == soon.date()
    with pytest.raises(forms.ValidationError):
        field.clean(datetime(1, 1, 1, 10).strftime("%Y-%m-%d %H:%M"))


def test_a_wave_answering_within_a_billion_hours_is_refused(crash_client, staff, make_workshop):
    workshop = make_workshop(capacity=4)
    data = {
        "action": "wave",
        "reserved_seats": "2",
        "answer_within_hours": "1000000000",
        "period": "12m",
        "min_per_neighbourhood": HUGE,
        "min_newcomers": "0",
        "max_per_month": "2",
    }
    form = WaveForm(data=data, workshop=workshop)
    assert not form.is_valid()
    assert form.errors["answer_within_hours"] == [
        f"Give invitees at most {MAX_ANSWER_HOURS} hours (a month) to answer."
    ]
    assert form.errors["min_per_neighbourhood"]
    crash_client.force_login(staff)
    response = crash_client.post(workshop.url + "invite/", data)
    assert response.status_code == 200 and response.context["wave_form"].errors
    assert not InvitationWave.objects.exists()


# Wagtail admin: engaged residents' invite, patrol ------------------------------------------


@pytest.mark.parametrize("value", [HUGE, "²", "\x00"])
def test_engaged_residents_invite_refuses_impossible_members(crash_client, staff, make_workshop, value):
    workshop = make_workshop()
    crash_client.force_login(staff)
    response = crash_client.post(
        "/admin/engaged-residents/invite/", {"members": [value], "workshop": str(workshop.pk)}, follow=True
    )
    assert response.status_code in (200, 400)
    assert not workshop.registrations.exists()
    response = crash_client.post("/admin/engaged-residents/invite/", {"members": ["1"], "workshop": value})
    assert response.status_code == 302


@pytest.mark.parametrize("field", ["patrol", "revert", "shown"])
@pytest.mark.parametrize("value", [HUGE, "²", "٣", "-1"])
def test_patrol_actions_refuse_impossible_ids(crash_client, moderator, page, field, value):
    crash_client.force_login(moderator)
    data = {field: [value]} if field != "shown" else {"patrol_shown": "1", "shown": [value]}
    response = crash_client.post("/admin/patrol/action/", data)
    assert response.status_code == 302
    assert not RevisionMeta.objects.filter(patrolled_at__isnull=False).exists()
    assert crash_client.post(f"/admin/patrol/pages/{page.pk}/hide/{HUGE}/").status_code == 404


def test_member_pages_refuse_a_huge_id(crash_client, staff, resident):
    assert crash_client.get(f"/leaderboard/member/{HUGE}/").status_code == 404
    crash_client.force_login(staff)
    assert crash_client.get(f"/admin/engaged-residents/{HUGE}/").status_code == 404
    assert crash_client.get(f"/admin/engaged-residents/{resident.member.pk}/").status_code == 200
    assert Member.objects.filter(pk=resident.member.pk).exists()


@pytest.mark.parametrize("field", ["commune", "neighbourhood"])
def test_a_wave_for_an_impossible_place_is_a_form_error(make_workshop, field):
    data = {"reserved_seats": "1", "answer_within_hours": "48", "period": "12m", field: HUGE}
    data |= {"min_per_neighbourhood": "0", "min_newcomers": "0", "max_per_month": "2"}
    form = WaveForm(data=data, workshop=make_workshop(capacity=4))
    assert not form.is_valid()
    assert "Select a valid choice" in form.errors[field][0]


@pytest.mark.parametrize("value", [HUGE, "²", "-1"])
def test_unfollowing_an_impossible_page_is_a_form_error(crash_client, resident, value):
    crash_client.force_login(resident)
    response = crash_client.post("/me/follows/", {"page": value, "list_page": value})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.url == "/me/follows/"


@pytest.mark.parametrize("url", ["/recent-changes/", "/recent-changes/feed/", "/projects/"])
def test_lists_ignore_a_commune_or_theme_with_nul(crash_client, territory, url):
    response = crash_client.get(url, {"commune": "a\x00b", "theme": "\x00", "page": "\x00"})
    assert response.status_code in (200, 404)


def test_nul_in_a_theme_or_calendar_address_is_not_found(crash_client, territory):
    assert crash_client.get("/themes/%00/").status_code == 404
    assert crash_client.get("/workshops-rsvp/calendar/%00.ics").status_code == 404


@pytest.mark.parametrize("year", [1, 9999])
def test_a_workshop_in_year_1_or_9999_is_refused_by_the_editor(make_workshop, year):
    """Wagtail's editor cleans the page: the date is refused there, so no calendar overflows later."""
    from django.core.exceptions import ValidationError

    workshop = make_workshop()
    workshop.starts_at = workshop.starts_at.replace(year=year)
    with pytest.raises(ValidationError) as refused:
        workshop.full_clean()
    assert "starts_at" in refused.value.message_dict
