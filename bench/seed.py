"""Seed a PostgreSQL database in bulk for the benchmark (run through `manage.py shell`).

Rows are built as model instances, so defaults and column names come from the
models, and written with PostgreSQL's COPY, never one ORM save at a time.
Full size: 28 communes, 200 neighbourhoods, 20,000 members, 10,000 wiki and
project pages, 200,000 revisions, 2,000,000 ledger lines over three years,
1,000 workshops, 40,000 registrations, 50,000 comments (1,000 of them, in
conversations with replies, below the hot page) and 20,000 questions to 8
services, two thirds of them answered. Small size is a tenth of that.
"""

import json
import random
import uuid
from datetime import timedelta
from itertools import islice

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Revision, Site

from discussion.models import Comment
from members.models import Activity, Member
from questions.models import Answer, Question, Service
from wiki.models import CommunePage, HomePage, NeighbourhoodPage, ProjectPage, RevisionMeta, WikiPage
from workshops.models import Registration, WorkshopIndexPage, WorkshopPage

FULL = {
    "communes": 28,
    "neighbourhoods": 200,
    "members": 20_000,
    "pages": 10_000,
    "revisions": 200_000,
    "activities": 2_000_000,
    "workshops": 1_000,
    "registrations": 40_000,
    "comments": 50_000,
    "questions": 20_000,
}
SMALL = {name: max(value // 10, 3) for name, value in FULL.items()}
HOT_PAGE_REVISIONS = 500
HOT_PAGE_COMMENTS = {"full": 1_000, "small": 100}
RESIDENT_EMAIL = "bench.resident@example.fr"
RESIDENT_PASSWORD = "bench-resident-password"
WORDS = [
    "quartier",
    "tramway",
    "parc",
    "jardin",
    "école",
    "marché",
    "association",
    "habitants",
    "rénovation",
    "logement",
    "vélo",
    "piste",
    "bibliothèque",
    "centre",
    "social",
    "jeunesse",
    "culture",
    "fête",
    "place",
    "rue",
    "avenue",
    "pont",
    "Garonne",
    "coteaux",
    "bus",
    "arrêt",
    "concertation",
    "projet",
    "budget",
    "travaux",
    "espace",
    "public",
    "aire",
    "jeux",
    "terrain",
    "sport",
    "médiathèque",
    "commerce",
    "mobilité",
    "environnement",
    "arbres",
    "ombre",
    "fontaine",
    "banc",
    "éclairage",
    "sécurité",
    "propreté",
    "collecte",
    "tri",
]
YEARS = 3


def words(rng, count):
    return " ".join(rng.choice(WORDS) for _ in range(count))


def copy_instances(model, instances, fields=None):
    """COPY model instances into the model's own table (local concrete fields)."""
    fields = fields or model._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for instance in instances:
            copy.write_row([field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields])
            written += 1
    return written


def copy_pages(model, pages):
    """Wagtail pages use multi-table inheritance: the Page row, then the specific row."""
    pages = list(pages)
    copy_instances(Page, pages)
    copy_instances(model, pages)
    return pages


def reset_sequences(*models):
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


class Ids:
    """Hands out primary keys above what the table holds already."""

    def __init__(self, model):
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.next = last + 1

    def take(self):
        value = self.next
        self.next += 1
        return value


class Tree:
    """Builds treebeard paths and Wagtail url paths for pages inserted in bulk."""

    def __init__(self):
        self.page_ids = Ids(Page)
        self.locale_id = Locale.get_default().pk
        self.children = {}

    def child(self, model, parent, *, title, slug, published_at, owner_id=None, **fields):
        step = self.children.get(parent.path, parent.numchild) + 1
        self.children[parent.path] = step
        page_id = self.page_ids.take()
        return model(
            id=page_id,
            page_ptr_id=page_id,
            path=Page._get_path(parent.path, parent.depth + 1, step),
            depth=parent.depth + 1,
            numchild=0,
            title=title,
            draft_title=title,
            slug=slug,
            url_path=f"{parent.url_path}{slug}/",
            content_type_id=ContentType.objects.get_for_model(model).pk,
            locale_id=self.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            first_published_at=published_at,
            last_published_at=published_at,
            latest_revision_created_at=published_at,
            owner_id=owner_id,
            **fields,
        )

    def fix_numchild(self):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE wagtailcore_page AS parent SET numchild = counts.n
                FROM (SELECT substr(path, 1, length(path) - 4) AS parent_path, count(*) AS n
                      FROM wagtailcore_page WHERE depth > 1 GROUP BY 1) AS counts
                WHERE parent.path = counts.parent_path
                """
            )


def build_home():
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Bordeaux Métropole", slug="metropole"))
        home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "Quartiers"}
    )
    Page.objects.child_of(root).exclude(pk=home.pk).delete()
    # Made through the ORM before the bulk inserts, which leave treebeard's
    # counters stale until Tree.fix_numchild().
    index = WorkshopIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=WorkshopIndexPage(title="Ateliers", slug="workshops"))
        index.save_revision().publish()
    home.refresh_from_db()
    # The benchmark saves hundreds of edits as one resident: lift the per-member
    # rate limits (wiki.ratelimits) that would rightly stop a real member.
    from wiki.models import WikiSettings

    site = Site.objects.get(is_default_site=True)
    WikiSettings.objects.update_or_create(
        site=site,
        defaults=dict.fromkeys(("edits_per_hour", "edits_per_hour_new", "pages_per_day", "pages_per_day_new"), 1000000),
    )
    return home, index


def seed(size):
    """Seed `size` ("small" or "full") into the configured database."""
    counts = FULL if size == "full" else SMALL
    rng = random.Random(1989)
    now = timezone.now()
    start = now - timedelta(days=365 * YEARS)
    with transaction.atomic():
        home, workshop_index = build_home()
        tree = Tree()
        communes = copy_pages(
            CommunePage,
            [
                tree.child(
                    CommunePage,
                    home,
                    title=f"Commune {i + 1:02d}",
                    slug=f"commune-{i + 1:02d}",
                    published_at=start,
                    insee_code=f"33{500 + i:03d}",
                    postal_code=f"33{100 + i:03d}",
                    population=5_000 + 1_000 * i,  # not from rng: the rest of the seed stays the same
                    introduction=f"<p>{words(rng, 40)}</p>",
                )
                for i in range(counts["communes"])
            ],
        )
        neighbourhoods = copy_pages(
            NeighbourhoodPage,
            [
                tree.child(
                    NeighbourhoodPage,
                    communes[i % len(communes)],
                    title=f"Quartier {i + 1:03d}",
                    slug=f"quartier-{i + 1:03d}",
                    published_at=start,
                    introduction=f"<p>{words(rng, 40)}</p>",
                )
                for i in range(counts["neighbourhoods"])
            ],
        )
        users = seed_members(counts, rng, communes, neighbourhoods, start, now)
        pages = seed_wiki(counts, rng, tree, communes, neighbourhoods, users, start, now)
        workshops = seed_workshops(counts, rng, tree, workshop_index, communes, start, now)
        seed_registrations(counts, rng, users, workshops)
        seed_activities(counts, rng, users, pages, workshops, start, now)
        seed_comments(counts, rng, users, pages, HOT_PAGE_COMMENTS[size], start, now)
        seed_questions(counts, rng, users, pages, communes, start, now)
        tree.fix_numchild()
        reset_sequences(
            Page, Revision, get_user_model(), Member, EmailAddress, Activity, Registration, Comment, Question, Answer
        )
    call_command("update_index", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(json.dumps({"seeded": size, **counts}))


def seed_members(counts, rng, communes, neighbourhoods, start, now):
    User = get_user_model()
    password = make_password("bench-password")
    user_ids = Ids(User)
    total = counts["members"]
    users = [
        User(
            id=user_ids.take(),
            username=f"resident{i}",
            email=f"resident{i}@example.fr",
            password=password,
            is_active=True,
            date_joined=start + (now - start) * rng.random() * 0.9,
        )
        for i in range(total)
    ]
    users[0].email = users[0].username = RESIDENT_EMAIL
    users[0].password = make_password(RESIDENT_PASSWORD)
    copy_instances(User, users)
    address_ids = Ids(EmailAddress)
    copy_instances(
        EmailAddress,
        (EmailAddress(id=address_ids.take(), user_id=u.id, email=u.email, verified=True, primary=True) for u in users),
    )
    member_ids = Ids(Member)
    members = []
    for i, user in enumerate(users):
        neighbourhood = rng.choice(neighbourhoods)
        members.append(
            Member(
                id=member_ids.take(),
                user_id=user.id,
                pseudonym=f"Habitant {i:05d}",
                commune_id=communes[(neighbourhoods.index(neighbourhood)) % len(communes)].id,
                neighbourhood_id=neighbourhood.id,
                show_on_leaderboard=rng.random() < 0.6,
                accept_invitations=rng.random() < 0.7,
                created_at=user.date_joined,
            )
        )
    copy_instances(Member, members)
    return members


def seed_wiki(counts, rng, tree, communes, neighbourhoods, members, start, now):
    """Wiki and project pages, then their revisions: one hot page holds 500 of them."""
    parents = communes + neighbourhoods
    wiki_count = counts["pages"] * 4 // 5
    pages = []
    for i in range(counts["pages"]):
        model = WikiPage if i < wiki_count else ProjectPage
        created = start + (now - start) * rng.random() * 0.5
        extra = {} if model is WikiPage else {"status": rng.choice(["idea", "consultation", "in_progress", "done"])}
        page = tree.child(
            model,
            rng.choice(parents),
            title=f"{'Page' if model is WikiPage else 'Projet'} {i:05d} {words(rng, 2)}",
            slug=f"{'page' if model is WikiPage else 'projet'}-{i:05d}",
            published_at=created,
            owner_id=rng.choice(members).user_id,
            body=f"# {words(rng, 3)}\n\n{words(rng, 80)}\n\n{words(rng, 60)}",
            **extra,
        )
        pages.append(page)
    revision_ids = Ids(Revision)
    plan = revision_plan(counts, rng, pages)
    revisions, metas = [], []
    for page, number in plan:
        created = page.first_published_at
        size = len(page.body)
        page_type = ContentType.objects.get_for_model(type(page)).pk
        base_type = ContentType.objects.get_for_model(Page).pk
        for n in range(number):
            created = created + (now - created) * rng.random() * (1 / max(number - n, 1))
            body = page.body if n == number - 1 else f"{page.body}\n\n{words(rng, rng.randint(1, 40))}"
            content = {"pk": page.pk, "title": page.title, "slug": page.slug, "body": body}
            if isinstance(page, ProjectPage):
                content["status"] = page.status
            revision = Revision(
                id=revision_ids.take(),
                content_type_id=page_type,
                base_content_type_id=base_type,
                object_id=str(page.pk),
                created_at=created,
                user_id=rng.choice(members).user_id,
                object_str=page.title,
                content=content,
            )
            revisions.append(revision)
            metas.append(
                RevisionMeta(
                    revision_id=revision.id,
                    page_id=page.pk,
                    summary=words(rng, 4),
                    size=len(body),
                    size_change=len(body) - size,
                    is_new_page=n == 0,
                    action="create" if n == 0 else "edit",
                )
            )
            size = len(body)
        page.latest_revision_id = page.live_revision_id = revision.id
        page.last_published_at = page.latest_revision_created_at = created
    copy_pages(WikiPage, [p for p in pages if isinstance(p, WikiPage)])
    copy_pages(ProjectPage, [p for p in pages if isinstance(p, ProjectPage)])
    copy_instances(Revision, revisions)
    copy_instances(RevisionMeta, metas)
    return pages


def revision_plan(counts, rng, pages):
    """How many revisions each page gets: 500 for the first, the rest spread out."""
    remaining = counts["revisions"] - HOT_PAGE_REVISIONS
    others = pages[1:]
    base = max(remaining // len(others), 1)
    plan = [(pages[0], HOT_PAGE_REVISIONS)]
    extra = remaining - base * len(others)
    for index, page in enumerate(others):
        plan.append((page, base + (1 if index < extra else 0)))
    return plan


def seed_workshops(counts, rng, tree, index, communes, start, now):
    workshops = []
    for i in range(counts["workshops"]):
        # Three quarters in the past, the rest in the coming months.
        starts = start + (now + timedelta(days=120) - start) * (i / counts["workshops"])
        workshops.append(
            tree.child(
                WorkshopPage,
                index,
                title=f"Atelier {i:04d} {words(rng, 2)}",
                slug=f"atelier-{i:04d}",
                published_at=starts - timedelta(days=30),
                description=f"<p>{words(rng, 60)}</p>",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                venue_name=f"Salle {words(rng, 1)}",
                address=f"{rng.randint(1, 200)} rue {words(rng, 1)}",
                commune_id=rng.choice(communes).id,
                accessibility="Accès de plain-pied.",
                capacity=60,
                registration_mode="open",
                status="scheduled",
                ics_sequence=0,
            )
        )
    return copy_pages(WorkshopPage, workshops)


def seed_registrations(counts, rng, members, workshops):
    registration_ids = Ids(Registration)
    per_workshop = max(counts["registrations"] // len(workshops), 1)
    now = timezone.now()
    rows = []
    # Distinct by construction: random 8-character codes collide at 40,000 registrations.
    codes = (f"{n:08X}" for n in rng.sample(range(16**8), len(workshops) * per_workshop))
    for workshop in workshops:
        for member in rng.sample(members, min(per_workshop, len(members))):
            past = workshop.ends_at < now
            status = rng.choice(["attended", "attended", "absent"]) if past else "confirmed"
            rows.append(
                Registration(
                    id=registration_ids.take(),
                    member_id=member.id,
                    workshop_id=workshop.id,
                    status=status,
                    created_at=workshop.starts_at - timedelta(days=10),
                    updated_at=workshop.starts_at,
                    code=next(codes),
                )
            )
    copy_instances(Registration, rows)


KINDS = [
    (Activity.Kind.EDIT, 78),
    (Activity.Kind.PAGE_CREATED, 4),
    (Activity.Kind.PROJECT_CREATED, 1),
    (Activity.Kind.WORKSHOP_ATTENDED, 2),
    (Activity.Kind.WRITEUP, 1),
    (Activity.Kind.DISCUSSION, 4),
    (Activity.Kind.PATROLLED, 8),
    (Activity.Kind.REVERTED, 2),
]


def seed_activities(counts, rng, members, pages, workshops, start, now):
    """Two million ledger lines over three years (full size), written in batches."""
    activity_ids = Ids(Activity)
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    span = (now - start).total_seconds()
    # Most engagement comes from a few: a skewed choice of members.
    weights = [1 / (rank + 10) for rank in range(len(members))]
    total = counts["activities"]
    member_choices = rng.choices(members, weights=weights, k=total)

    def lines():
        for i in range(total):
            kind = rng.choice(kinds)
            page = rng.choice(pages)
            yield Activity(
                id=activity_ids.take(),
                member_id=member_choices[i].id,
                kind=kind,
                occurred_at=start + timedelta(seconds=span * rng.random()),
                page_id=page.pk if kind != Activity.Kind.WORKSHOP_ATTENDED else rng.choice(workshops).pk,
                chars_changed=rng.randint(0, 2_000) if kind == Activity.Kind.EDIT else 0,
                facts={},
                target="",
            )

    iterator = lines()
    while batch := list(islice(iterator, 100_000)):
        copy_instances(Activity, batch)


def seed_comments(counts, rng, members, pages, hot_count, start, now):
    """Comments spread over the pages, and conversations below the hot page (the first wiki page).

    Below the hot page: a third are comments on the page, the rest replies one or
    two levels deep, so the discussion page has full conversations to lay out.
    """
    comment_ids = Ids(Comment)
    hot = pages[0]
    span = (now - start).total_seconds()
    rows = []
    threads = []
    for i in range(hot_count):
        at = start + timedelta(seconds=span * (i + 1) / (hot_count + 1))
        parent = rng.choice(threads) if threads and i % 3 else None
        if parent is not None and parent.depth == 2:
            parent = rows[parent.parent_id - rows[0].id]
        comment = Comment(
            id=comment_ids.take(),
            page_id=hot.pk,
            author_id=rng.choice(members).user_id,
            parent_id=parent.id if parent else None,
            thread_id=(parent.thread_id or parent.id) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            body=words(rng, rng.randint(8, 60)),
            role="",
            state=Comment.State.PUBLISHED,
            created_at=at,
        )
        rows.append(comment)
        threads.append(comment)
    for _ in range(counts["comments"] - hot_count):
        rows.append(
            Comment(
                id=comment_ids.take(),
                page_id=rng.choice(pages).pk,
                author_id=rng.choice(members).user_id,
                depth=0,
                body=words(rng, rng.randint(8, 60)),
                role="",
                state=Comment.State.PUBLISHED,
                created_at=start + timedelta(seconds=span * rng.random()),
            )
        )
    copy_instances(Comment, rows)


def seed_questions(counts, rng, members, pages, communes, start, now):
    """Questions on pages, routed to services; two thirds answered, the rest new, routed or waiting."""
    from django.contrib.auth.models import Group

    services = [
        Service.objects.create(
            name=f"Service {i + 1}",
            contact_email=f"service{i + 1}@example.fr",
            agents=Group.objects.create(name=f"Agents du service {i + 1}"),
        )
        for i in range(8)
    ]
    question_ids, answer_ids = Ids(Question), Ids(Answer)
    commune_of = {commune.path: commune.pk for commune in communes}
    span = (now - start).total_seconds()
    questions, answers = [], []
    for _ in range(counts["questions"]):
        page = rng.choice(pages)
        asked = start + timedelta(seconds=span * rng.random())
        status = rng.choice([Question.Status.ANSWERED] * 4 + [Question.Status.ROUTED, Question.Status.NEW])
        service = rng.choice(services) if status != Question.Status.NEW else None
        days = rng.randint(2, 30)
        question = Question(
            id=question_ids.take(),
            asker_id=rng.choice(members).user_id,
            page_id=page.pk,
            commune_id=commune_of.get(page.path[: 4 * 3]),
            title=f"{words(rng, rng.randint(4, 10)).capitalize()} ?",
            body=words(rng, rng.randint(10, 60)),
            status=status,
            service=service,
            created_at=asked,
            routed_at=asked + timedelta(days=1) if service else None,
            deadline=(asked + timedelta(days=21)).date() if service else None,
            answered_at=asked + timedelta(days=days) if status == Question.Status.ANSWERED else None,
            working_days_taken=days * 5 // 7 if status == Question.Status.ANSWERED else None,
        )
        questions.append(question)
        if status == Question.Status.ANSWERED:
            answers.append(
                Answer(
                    id=answer_ids.take(),
                    question_id=question.id,
                    service_id=service.pk,
                    author_id=rng.choice(members).user_id,
                    body=words(rng, rng.randint(30, 120)),
                    state=Answer.State.PUBLISHED,
                    created_at=question.answered_at,
                    submitted_at=question.answered_at,
                    published_at=question.answered_at,
                )
            )
    copy_instances(Question, questions)
    copy_instances(Answer, answers)


def write_pages(path):
    """The URLs the benchmark drives, from what the database holds."""
    hot = WikiPage.objects.order_by("pk").first()
    revisions = list(
        Revision.objects.filter(object_id=str(hot.pk)).order_by("-created_at", "-pk").values_list("pk", flat=True)[:2]
    )
    commune = CommunePage.objects.order_by("pk").first()
    neighbourhood = NeighbourhoodPage.objects.order_by("pk").first()
    workshop = WorkshopPage.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    index = WorkshopIndexPage.objects.first()
    counts = {
        "communes": CommunePage.objects.count(),
        "neighbourhoods": NeighbourhoodPage.objects.count(),
        "members": Member.objects.count(),
        "pages": WikiPage.objects.count() + ProjectPage.objects.count(),
        "revisions": Revision.objects.count(),
        "activities": Activity.objects.count(),
        "workshops": WorkshopPage.objects.count(),
        "registrations": Registration.objects.count(),
        "comments": Comment.objects.count(),
        "questions": Question.objects.count(),
    }
    pages = [
        ("home", "/", False),
        ("commune", commune.url, False),
        ("neighbourhood", neighbourhood.url, False),
        ("wiki page (500 revisions)", hot.url, False),
        ("history", f"{hot.url}history/", False),
        ("discussion (hot page)", f"/discussion/{hot.pk}/", False),
        ("questions", "/questions/", False),
        ("questions answered in one commune", f"/questions/?status=answered&commune={commune.slug}", False),
        ("services' public record", "/questions/services/", False),
        ("diff", f"{hot.url}diff/{revisions[1]}/{revisions[0]}/", False),
        ("recent changes", "/recent-changes/", False),
        ("search", "/search/?q=tramway", False),
        ("leaderboard 30 days", "/leaderboard/?period=30d", False),
        ("leaderboard all time", "/leaderboard/?period=all", False),
        ("leaderboard one commune", f"/leaderboard/?period=30d&commune={commune.pk}", False),
        ("workshop page", workshop.url, False),
        ("calendar feed", f"{index.url}calendar.ics", False),
        # For reference: what being signed in costs with no page to build, and the simplest signed-in page.
        ("baseline (signed in)", "/_baseline/signed-in/", True),
        ("points page (signed in)", "/me/points/", True),
        ("wiki page (signed in)", hot.url, True),
        ("recent changes (signed in)", "/recent-changes/", True),
        ("leaderboard 30 days (signed in)", "/leaderboard/?period=30d", True),
        ("edit form (resident)", f"{hot.url}edit/", True),
    ]
    # One page per concurrent writer, so saves measure saving, not edit conflicts.
    save_pages = [hot.url] + [page.url for page in WikiPage.objects.exclude(pk=hot.pk).order_by("pk")[:15]]
    plan = {
        "counts": counts,
        "resident": {"email": RESIDENT_EMAIL, "password": RESIDENT_PASSWORD},
        "pages": [{"name": name, "path": url, "auth": auth} for name, url, auth in pages],
        "save_pages": save_pages,
    }
    with open(path, "w") as handle:
        json.dump(plan, handle, indent=2)
