"""Wiki fixtures: pages written through the services, as residents would."""

import pytest

from wiki import services


@pytest.fixture
def write_page(resident):
    """Create a wiki page (or project) through the service; returns the page."""

    def write(parent, title, body="", *, user=None, page_type="wiki", summary="", **facts):
        return services.create_page(user or resident, parent, title, body, summary, page_type=page_type, facts=facts)

    return write


@pytest.fixture
def other_resident(make_user):
    return make_user("karim@example.fr", pseudonym="Karim")


def edit(page, user, body, *, base=None, title=None, summary="", facts=None):
    """Edit `page` as `user`, starting from revision `base` (default: the latest)."""
    page = page.specific_class.objects.get(pk=page.pk)
    return services.edit_page(
        user,
        page,
        base_revision_id=base if base is not None else page.latest_revision_id,
        title=title if title is not None else page.title,
        body=body,
        summary=summary,
        facts=facts,
    )
