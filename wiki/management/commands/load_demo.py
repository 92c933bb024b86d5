"""Build the demo territory, the Rive droite of Bordeaux: `manage.py load_demo`.

Idempotent: every object is looked up (slug, INSEE code, email) before it is
created, so a second run changes nothing.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from members.models import Member
from members.roles import RESIDENTS
from members.services import ensure_member, update_profile
from wiki import demo_data
from wiki.models import CommunePage, HomePage, NeighbourhoodPage

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
                    introduction=data["introduction"],
                ),
            )
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


def build_residents(territory):
    """About fifty residents spread over the territory. Returns how many were created."""
    group, _ = Group.objects.get_or_create(name=RESIDENTS)
    password_hash = make_password(demo_data.RESIDENT_PASSWORD)  # hashed once, shared: fast
    created_count = 0
    for person in demo_data.residents():
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
        apply_profile(
            user,
            pseudonym=person["pseudonym"],
            commune=commune,
            neighbourhood=neighbourhood,
            show_on_leaderboard=person["show_on_leaderboard"],
            accept_invitations=person["accept_invitations"],
        )
    return created_count


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
    help = "Load the demo territory (Rive droite of Bordeaux), residents and team accounts. Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            territory = build_territory()
            created_residents = build_residents(territory)
            team = build_team()

        neighbourhood_count = sum(len(neighbourhoods) for _, neighbourhoods in territory.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo territory ready: {len(territory)} communes, {neighbourhood_count} neighbourhoods, "
                f"{demo_data.RESIDENT_COUNT} residents ({created_residents} new, "
                f"password {demo_data.RESIDENT_PASSWORD!r})."
            )
        )
        for data in team:
            self.stdout.write(f"  {data['group']:<10} {data['email']} / {data['password']}")
        self.stdout.write("  Site:  http://127.0.0.1:8000/")
        self.stdout.write("  Admin: http://127.0.0.1:8000/admin/")
