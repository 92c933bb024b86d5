"""Build the demo territory, the Rive droite of Bordeaux: `manage.py load_demo`.

Idempotent: every object is looked up (slug, INSEE code, email, edit summary)
before it is created, so a second run changes nothing. Wiki pages, edits,
undos, registrations, check-ins and write-ups go through the real services
(wiki.services, workshops.services), so revisions, history, recent changes and
the engagement ledger (hence the leaderboard) come out as in real use.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import slugify
from wagtail.models import Page, Site

from demo import data as demo_data
from members import scoring
from members.models import Member
from members.roles import RESIDENTS
from members.services import ensure_member, update_profile
from wiki import services as wiki_services
from wiki.models import CommunePage, HomePage, NeighbourhoodPage, RevisionMeta, Theme
from workshops import services as workshop_services
from workshops.models import Registration, WorkshopIndexPage, WorkshopPage, WorkshopRelatedPage

PARIS = ZoneInfo("Europe/Paris")

DEMO_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
WELCOME_TITLE = "Welcome to your new Wagtail site!"


def add_published_child(parent, page):
    """Add `page` under `parent` and publish it, so it has a first revision."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_territory():
    """Home page, communes and neighbourhoods; the default site points at the home page.

    Returns {insee_code: (commune, {neighbourhood title: neighbourhood})}.
    """
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).first()
    if home is None:
        home = add_published_child(
            root,
            HomePage(
                title=demo_data.HOME["title"],
                slug=demo_data.HOME["slug"],
                introduction=demo_data.HOME["introduction"],
            ),
        )
    point_default_site_at(home)
    remove_welcome_page(root)

    territory = {}
    for data in demo_data.COMMUNES:
        commune = CommunePage.objects.filter(insee_code=data["insee_code"]).first()
        if commune is None:
            commune = add_published_child(
                home,
                CommunePage(
                    title=data["title"],
                    slug=slugify(data["title"]),
                    insee_code=data["insee_code"],
                    postal_code=data["postal_code"],
                    population=data["population"],
                    introduction=data["introduction"],
                ),
            )
        elif commune.population is None:  # loaded before communes had a population
            CommunePage.objects.filter(pk=commune.pk).update(population=data["population"])
        neighbourhoods = {}
        for title, introduction in data["neighbourhoods"]:
            slug = slugify(title)
            neighbourhood = NeighbourhoodPage.objects.child_of(commune).filter(slug=slug).first()
            if neighbourhood is None:
                neighbourhood = add_published_child(
                    commune, NeighbourhoodPage(title=title, slug=slug, introduction=introduction)
                )
            neighbourhoods[title] = neighbourhood
        territory[data["insee_code"]] = (commune, neighbourhoods)
    return territory


def point_default_site_at(home):
    site = (
        Site.objects.filter(is_default_site=True).first() or Site.objects.filter(hostname="localhost", port=80).first()
    )
    if site is None:
        site = Site(hostname="localhost", port=80)
    wanted = {"root_page_id": home.pk, "is_default_site": True, "site_name": demo_data.SITE_NAME}
    if site.pk is None or any(getattr(site, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(site, field, value)
        site.save()


def remove_welcome_page(root):
    """Delete Wagtail's default "Welcome" page (after the site stopped pointing at it)."""
    for page in root.get_children().filter(title=WELCOME_TITLE, content_type__model="page"):
        if not Site.objects.filter(root_page=page).exists():
            page.delete()


def ensure_account(*, username, email, password_hash, first_name="", last_name="", group, **flags):
    """A user with a verified primary email address, in `group`. Returns (user, created)."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(username=username, email=email, first_name=first_name, last_name=last_name, **flags)
        user.password = password_hash
        user.save()  # the members signal gives the user a Member
    elif any(getattr(user, flag) != value for flag, value in flags.items()):
        for flag, value in flags.items():
            setattr(user, flag, value)
        user.save(update_fields=list(flags))
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email__iexact=email, defaults={"email": email, "verified": True, "primary": True}
    )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    user.groups.add(group)
    return user, created


def apply_profile(user, **profile):
    """Set the demo profile through the members service, unless it is already there."""
    member = ensure_member(user)
    current = {
        "pseudonym": member.pseudonym,
        "commune": member.commune,
        "neighbourhood": member.neighbourhood,
        "show_on_leaderboard": member.show_on_leaderboard,
        "accept_invitations": member.accept_invitations,
    }
    if current == profile:
        return member
    if Member.objects.filter(pseudonym__iexact=profile["pseudonym"]).exclude(pk=member.pk).exists():
        return member  # someone real took the pseudonym: leave this demo profile alone
    return update_profile(member, **profile)


def backdate_account(user, member, index, now):
    """Demo residents joined months ago, so that they may rank on the leaderboard.

    The leaderboard needs a minimum account age (and edits by young accounts
    wait for a patrol): these two timestamps are demo data, set directly, once.
    """
    if member.created_at <= now - timedelta(days=30):
        return
    joined = (now - timedelta(days=90 + 7 * index)).replace(minute=0, second=0, microsecond=0)
    get_user_model().objects.filter(pk=user.pk).update(date_joined=joined)
    Member.objects.filter(pk=member.pk).update(created_at=joined)


def build_residents(territory):
    """About fifty residents spread over the territory. Returns how many were created."""
    group, _ = Group.objects.get_or_create(name=RESIDENTS)
    password_hash = make_password(demo_data.RESIDENT_PASSWORD)  # hashed once, shared: fast
    created_count = 0
    now = timezone.now()
    for index, person in enumerate(demo_data.residents()):
        user, created = ensure_account(
            username=person["username"],
            email=person["email"],
            password_hash=password_hash,
            first_name=person["first_name"],
            last_name=person["last_name"],
            group=group,
        )
        created_count += created
        commune, neighbourhood = None, None
        if person["commune"]:
            commune, neighbourhoods = territory[person["commune"]]
            neighbourhood = neighbourhoods.get(person["neighbourhood"])
        member = apply_profile(
            user,
            pseudonym=person["pseudonym"],
            commune=commune,
            neighbourhood=neighbourhood,
            show_on_leaderboard=person["show_on_leaderboard"],
            accept_invitations=person["accept_invitations"],
        )
        backdate_account(user, member, index, now)
    return created_count


def demo_users():
    """The demo residents' users, in the order of demo_data.residents() (one query)."""
    emails = [person["email"] for person in demo_data.residents()]
    by_email = {user.email.lower(): user for user in get_user_model().objects.filter(email__in=emails)}
    return [by_email[email.lower()] for email in emails]


def team_user(index):
    return get_user_model().objects.get(email__iexact=demo_data.TEAM[index]["email"])


# Wiki content ---------------------------------------------------------------------


def place_page(territory, place):
    insee_code, neighbourhood = place
    commune, neighbourhoods = territory[insee_code]
    return neighbourhoods[neighbourhood] if neighbourhood else commune


def project_facts(facts):
    typed = {}
    for name, value in facts.items():
        if name in ("start_date", "end_date"):
            typed[name] = parse_date(value)
        elif name in ("budget", "latitude", "longitude"):
            typed[name] = Decimal(value)
        else:
            typed[name] = value
    return typed


def demo_themes(spec):
    """The themes named by their slugs in a demo spec (wiki.Theme, migration 0005)."""
    return list(Theme.objects.filter(slug__in=spec.get("themes", [])))


def build_pages(territory, users):
    """The wiki pages and projects, each created by its author. Returns ({title: page}, created count)."""
    pages, created = {}, 0
    specs = [(spec, "wiki") for spec in demo_data.WIKI_PAGES] + [(spec, "project") for spec in demo_data.PROJECT_PAGES]
    for spec, page_type in specs:
        parent = place_page(territory, spec["place"])
        page = parent.get_children().filter(slug=wiki_services.slug_for(spec["title"])).first()
        if page is None:
            page = wiki_services.create_page(
                users[spec["author"]],
                parent,
                spec["title"],
                spec["body"],
                spec["summary"],
                page_type=page_type,
                facts={**project_facts(spec.get("facts", {})), "themes": demo_themes(spec)},
            )
            created += 1
        pages[spec["title"]] = page
    return pages, created


def has_revision(page, summary, action=None):
    revisions = RevisionMeta.objects.filter(page_id=page.pk, summary=summary)
    return revisions.filter(action=action).exists() if action else revisions.exists()


def apply_edit(page, user, spec):
    """One later edit (replacements and an addition) through wiki.services.edit_page."""
    page = Page.objects.get(pk=page.pk).specific
    body = page.body
    for old, new in spec.get("replace", []):
        if old not in body:
            raise CommandError(f"Demo edit {spec['summary']!r}: {old!r} is not in “{page.title}”.")
        body = body.replace(old, new, 1)
    if spec.get("append"):
        body = f"{body.rstrip()}\n{spec['append']}"
    outcome = wiki_services.edit_page(
        user,
        page,
        base_revision_id=page.latest_revision_id,
        title=page.title,
        body=body,
        summary=spec["summary"],
        facts={"themes": demo_themes(spec)} if "themes" in spec else None,
    )
    return outcome.revision


def build_history(pages, users, moderator):
    """Later edits by other residents, a vandal edit and its undo by the moderator. Returns revisions saved."""
    saved = 0
    for spec in demo_data.EDITS:
        page = pages[spec["page"]]
        if not has_revision(page, spec["summary"]):
            saved += apply_edit(page, users[spec["author"]], spec) is not None
    vandal = demo_data.VANDAL_EDIT
    page = pages[vandal["page"]]
    if not has_revision(page, demo_data.UNDO_SUMMARY, RevisionMeta.Action.UNDO):
        revision = None
        if has_revision(page, vandal["summary"]):
            revision = wiki_services.page_revisions(page).filter(wiki_meta__summary=vandal["summary"]).last()
        else:
            revision = apply_edit(page, users[vandal["author"]], vandal)
            saved += 1
        page = Page.objects.get(pk=page.pk).specific
        wiki_services.undo(moderator, page, revision.pk, summary=demo_data.UNDO_SUMMARY)
        saved += 1
    return saved


# Workshops ------------------------------------------------------------------------


def at_hour(days, hour, now):
    """An aware Europe/Paris datetime `days` from today at `hour` o'clock."""
    day = timezone.localtime(now, PARIS).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def build_workshop_index(home):
    index = WorkshopIndexPage.objects.child_of(home).first()
    if index is None:
        data = demo_data.WORKSHOP_INDEX
        index = add_published_child(
            home, WorkshopIndexPage(title=data["title"], slug=data["slug"], introduction=data["introduction"])
        )
    return index


def build_workshops(index, territory, pages, users, staff):
    """Five workshops: two past (one closed with a write-up), three upcoming. Returns how many were created."""
    now = timezone.now()
    created = 0
    for spec in demo_data.WORKSHOPS:
        if WorkshopPage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            continue
        created += 1
        starts_at = at_hour(spec["days"], spec["hour"], now)
        ends_at = starts_at + timedelta(hours=spec["duration_hours"])
        past = ends_at <= now
        # A past workshop is created upcoming, takes its registrations, then moves to its date.
        opening = at_hour(2, spec["hour"], now) if past else starts_at
        workshop = add_published_child(
            index,
            WorkshopPage(
                title=spec["title"],
                slug=spec["slug"],
                description=spec["description"],
                starts_at=opening,
                ends_at=opening + timedelta(hours=spec["duration_hours"]),
                venue_name=spec["venue_name"],
                address=spec["address"],
                commune=territory[spec["commune"]][0],
                accessibility=spec["accessibility"],
                capacity=spec["capacity"],
                registration_mode=spec["mode"],
                related_pages=[WorkshopRelatedPage(page=pages[title]) for title in spec["related"]],
            ),
        )
        members = {i: ensure_member(users[i]) for i in {*spec["registered"], *spec.get("invited", [])}}
        if spec.get("invited"):  # invitations go to members who consented (the service checks)
            workshop_services.invite(workshop, [members[i] for i in spec["invited"]], by=staff)
        for i in spec.get("accepted", []):
            workshop_services.register(members[i], workshop)
        for i in spec["registered"]:
            workshop_services.register(members[i], workshop)
        for i in spec.get("cancelled", []):
            registration = Registration.objects.get(workshop=workshop, member=members[i])
            workshop_services.cancel(registration, by=users[i], note="empêchement")
        if not past:
            continue
        workshop_services.reschedule(workshop, starts_at=starts_at, ends_at=ends_at, by=staff)
        for i in spec["registered"]:
            registration = Registration.objects.get(workshop=workshop, member=members[i])
            workshop_services.check_in(registration, i not in spec["absent"], by=staff)
        if spec["writeup"]:
            workshop_services.close_workshop(workshop, writeup=spec["writeup"], by=staff)
    return created


def build_team():
    """The staff account and the moderator account."""
    accounts = []
    for data in demo_data.TEAM:
        group, _ = Group.objects.get_or_create(name=data["group"])
        user, _ = ensure_account(
            username=data["username"],
            email=data["email"],
            password_hash=make_password(data["password"]),
            first_name=data["first_name"],
            last_name=data["last_name"],
            group=group,
            is_staff=data["is_staff"],
            is_superuser=data["is_superuser"],
        )
        apply_profile(
            user,
            pseudonym=data["pseudonym"],
            commune=None,
            neighbourhood=None,
            show_on_leaderboard=False,
            accept_invitations=False,
        )
        accounts.append(data)
    return accounts


class Command(BaseCommand):
    help = (
        "Load the demo territory (Rive droite of Bordeaux): residents, team accounts, wiki pages, projects "
        "and their history, workshops and registrations. Safe to run twice."
    )

    def handle(self, *args, **options):
        # The demo's residents are fictional: the invitations and confirmations the
        # workshop services send while the demo is built go nowhere (and do not
        # bury the printed logins under pages of console email).
        with override_settings(MAILERS=DEMO_MAILERS), transaction.atomic():
            territory = build_territory()
            created_residents = build_residents(territory)
            team = build_team()
            users = demo_users()
            staff, moderator = team_user(0), team_user(1)
            pages, created_pages = build_pages(territory, users)
            saved_revisions = build_history(pages, users, moderator)
            home = HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)
            index = build_workshop_index(home)
            created_workshops = build_workshops(index, territory, pages, users, staff)
        if created_pages or saved_revisions or created_workshops:
            scoring.invalidate()  # the ledger changed: forget any cached leaderboard

        neighbourhood_count = sum(len(neighbourhoods) for _, neighbourhoods in territory.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo territory ready: {len(territory)} communes, {neighbourhood_count} neighbourhoods, "
                f"{demo_data.RESIDENT_COUNT} residents ({created_residents} new, "
                f"password {demo_data.RESIDENT_PASSWORD!r})."
            )
        )
        self.stdout.write(
            f"Wiki: {len(demo_data.WIKI_PAGES)} pages and {len(demo_data.PROJECT_PAGES)} projects "
            f"({created_pages} new, {saved_revisions} later revisions saved); "
            f"workshops: {len(demo_data.WORKSHOPS)} ({created_workshops} new)."
        )
        for data in team:
            self.stdout.write(f"  {data['group']:<10} {data['email']} / {data['password']}")
        self.stdout.write("  Site:           http://127.0.0.1:8000/")
        self.stdout.write("  Admin:          http://127.0.0.1:8000/admin/")
        self.stdout.write("  Workshops:      http://127.0.0.1:8000/workshops/")
        self.stdout.write("  Leaderboard:    http://127.0.0.1:8000/leaderboard/")
        self.stdout.write("  Recent changes: http://127.0.0.1:8000/recent-changes/")
