"""PDF documents attached to projects by staff and trusted members, downloaded with an attachment disposition."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gallery.models import ProjectDocument
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(content=PDF, name="avis.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def project(territory, resident):
    from wiki import services

    return services.create_page(
        resident, territory["genicart"], "La passerelle", "Texte", "", page_type="project", facts={"status": "idea"}
    )


@pytest.fixture
def trusted(make_user, monkeypatch):
    from wiki import permissions

    user = make_user("ancienne@example.fr", pseudonym="Ancienne")
    monkeypatch.setattr(permissions, "is_trusted", lambda member: member == user)
    return user


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("resident", 403), ("trusted", 200), ("moderator", 200), ("staff", 200)],
)
def test_who_may_attach_documents(client, request, project, role, status):
    if role != "anonymous":
        assert client.login(username=request.getfixturevalue(role).email, password=PASSWORD)
    assert client.get(reverse("gallery:documents", args=[project.pk])).status_code == status
    client.post(reverse("gallery:documents", args=[project.pk]), {"title": "Avis", "file": pdf()})
    assert ProjectDocument.objects.exists() == (status == 200)


def test_a_pdf_is_attached_listed_and_downloaded(client, staff, project):
    client.login(username=staff.email, password=PASSWORD)
    response = client.post(
        reverse("gallery:documents", args=[project.pk]), {"title": "Avis d'enquête publique", "file": pdf()}
    )
    assert response.status_code == 302
    attached = ProjectDocument.objects.get()
    client.logout()
    html = client.get(project.url).text
    assert "Avis d&#x27;enquête publique" in html and attached.document.url in html
    download = client.get(attached.document.url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content if download.streaming else [download.content]).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf(b"<html><script>alert(1)</script></html>", "faux.pdf"), "Only PDF documents can be attached."),
        (pdf(b"MZ\x90\x00 an executable", "notice.pdf"), "Only PDF documents can be attached."),
    ],
)
def test_the_type_is_checked_from_the_content(client, staff, project, upload, message):
    client.login(username=staff.email, password=PASSWORD)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("gallery:documents", args=[project.pk]), {"title": "Avis", "file": upload})
    assert response.status_code == 200 and message in response.text
    assert not ProjectDocument.objects.exists()


def test_the_size_is_limited(client, staff, project, settings):
    settings.GALLERY_MAX_DOCUMENT_BYTES = 10
    client.login(username=staff.email, password=PASSWORD)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("gallery:documents", args=[project.pk]), {"title": "Avis", "file": pdf()})
    assert "This file is too large" in response.text
    assert not ProjectDocument.objects.exists()


def test_documents_only_on_projects(client, staff, territory, resident):
    from wiki import services

    page = services.create_page(resident, territory["genicart"], "Une page", "Texte", "")
    client.login(username=staff.email, password=PASSWORD)
    assert client.get(reverse("gallery:documents", args=[page.pk])).status_code == 403
