"""Public views of the wiki, served as routes of the pages (see wiki.models).

Thin: validate with a form, call one service, render or redirect.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from civic import pagecache
from civic.params import parse_int
from members import access
from wiki import changes, diffs, links, moderation, permissions, ratelimits, services, territory
from wiki import search as wiki_search
from wiki.forms import EditForm, MoveForm, NewPageForm
from wiki.links import render_preview
from wiki.models import ProjectPage, projects_by_status
from wiki.ratelimits import RateLimited
from wiki.services import PAGE_TYPES, EditConflict, InvalidRevision
from wiki.themes import project_theme_filter, theme_change

HISTORY_PER_PAGE = 50
RECENT_CHANGES_PER_PAGE = 50
# Recent changes lists this many at most (as MediaWiki does): counting every
# revision of a métropole for "page 1 of N" would grow with the wiki. Each
# page's history and feed keep all of its changes.
RECENT_CHANGES_LIMIT = 1000
SEARCH_RESULTS_PER_PAGE = 20


def _base_context(page, **extra):
    return {"page": page, "ancestors": territory.breadcrumbs(page), **extra}


def _refuse(request, allowed, *, action=None, page=None):
    """None when the user may go on; otherwise the response explaining why not (`page`: a way back)."""
    if allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    unverified = not permissions.is_verified(request.user)
    block = None if unverified else access.block_in_force(request.user)
    # Muted, or a warning to acknowledge: members.access says why, with the end of a mute.
    sanctioned = not unverified and block is None and not access.is_contributor(request.user)
    if unverified:
        reason = _("Confirm your email address before you contribute: follow the link we sent you.")
    elif block is not None:
        reason = _("A moderator blocked you from contributing.")
    elif sanctioned:
        reason = access.why_cannot_post(request.user)
    else:
        reason = action or _("You are not allowed to do this.")
    context = {
        "reason": reason,
        "unverified": unverified,
        "member_block": block,
        "sanctioned": sanctioned or block is not None,
        "back_to": page,
    }
    return TemplateResponse(request, "wiki/not_allowed.html", context, status=403)


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


# Editing ---------------------------------------------------------------------------


def edit_page(request, page):
    allowed = permissions.can_edit(request.user, page)
    if refused := _refuse(request, allowed, action=permissions.why_cannot_edit(request.user, page), page=page):
        return refused
    project = isinstance(page, ProjectPage)
    latest = services.current_revision(page)
    preview = conflict = conflict_hunks = rate_limited = None
    if request.method == "POST":
        form = EditForm(request.POST, project=project)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview, rate_limited = _preview(request, data["body"], page)
            else:
                try:
                    outcome = services.edit_page(
                        request.user,
                        page,
                        base_revision_id=data["base_revision_id"],
                        title=data["title"],
                        body=data["body"],
                        summary=data["summary"],
                        facts=form.facts(),
                    )
                except EditConflict as error:
                    conflict = error
                    conflict_hunks = diffs.word_diff(error.base_content["body"], error.their_content["body"])
                    form = _form_on_latest(request.POST, error.latest_revision, project)
                except RateLimited as error:
                    rate_limited = error  # the form keeps the member's text
                except InvalidRevision as error:
                    form = _form_on_latest(request.POST, latest, project)
                    form.add_error(
                        None,
                        _(
                            "%(error)s Your text is kept below; it will replace the current version "
                            "if you save it, so compare it with the page first."
                        )
                        % {"error": error},
                    )
                except ValidationError as error:
                    form.add_service_error(error)
                else:
                    if outcome.unchanged:
                        messages.info(request, _("You did not change anything: nothing was saved."))
                    elif outcome.merged:
                        messages.success(
                            request,
                            _(
                                "Someone else edited this page at the same time; their changes and yours "
                                "touched different parts and were merged. Your edit is saved."
                            ),
                        )
                    else:
                        messages.success(request, _("Your changes are saved. Thank you!"))
                    return redirect(outcome.page.get_url(request))
    else:
        content = services.revision_content(page.specific_class, latest)
        form = EditForm(initial={**content, "base_revision_id": latest.pk}, project=project)
    context = _base_context(
        page,
        fields_cache_key=None if form.is_bound else _edit_fields_cache_key(page, latest),
        form=form,
        preview=preview,
        conflict=conflict,
        conflict_hunks=conflict_hunks,
        project=project,
        rate_limited=rate_limited,
        project_field_names=ProjectPage.fact_fields,
        near=page,
    )
    status = 409 if conflict else 429 if rate_limited else 200
    return _with_retry_after(TemplateResponse(request, "wiki/edit.html", context, status=status), rate_limited)


def _preview(request, body, near):
    """(preview HTML, None), or (None, RequestsLimited) past the previews' rate limit: the form keeps the text."""
    try:
        ratelimits.check_preview(request)
    except RateLimited as error:
        return None, error
    return render_preview(body, near, request), None


def _edit_fields_cache_key(page, revision):
    """The fields of the edit form of a revision are the same for every member (the CSRF token is apart).

    The key changes with the revision, the language and any change of content
    (themes, labels of the page type...), through the page cache's generation.
    """
    return f"{page.pk}:{revision.pk}:{get_language()}:{pagecache.generation()}"


def _with_retry_after(response, rate_limited):
    if rate_limited is not None:
        response["Retry-After"] = str(rate_limited.retry_after)
    return response


def _form_on_latest(data, latest, project):
    """The submitted form, now based on the latest revision so that saving it again is a choice."""
    data = data.copy()
    data["base_revision_id"] = str(latest.pk)
    form = EditForm(data, project=project)
    form.is_valid()
    return form


def new_page(request, parent):
    kinds = [kind for kind, page_class in PAGE_TYPES.items() if page_class.can_create_at(parent)]
    if not kinds:
        raise Http404
    allowed = permissions.can_create(request.user, parent)
    if refused := _refuse(request, allowed, action=permissions.why_cannot_create(request.user, parent), page=parent):
        return refused
    preview = rate_limited = None
    if request.method == "POST":
        form = NewPageForm(request.POST, kinds=kinds)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview, rate_limited = _preview(request, data["body"], parent)
            else:
                try:
                    page = services.create_page(
                        request.user,
                        parent,
                        data["title"],
                        data["body"],
                        data["summary"],
                        page_type=data["kind"],
                        facts=form.facts(),
                    )
                except RateLimited as error:
                    rate_limited = error  # the form keeps the member's text
                except ValidationError as error:
                    form.add_service_error(error)
                else:
                    messages.success(request, _("The page is created. Thank you!"))
                    messages.info(
                        request,
                        _("You now follow this page: you will get one email summing up other members' changes."),
                    )
                    return redirect(page.get_url(request))
    else:
        kind = request.GET.get("type") if request.GET.get("type") in kinds else kinds[0]
        form = NewPageForm(initial={"title": request.GET.get("title", "")[:255], "kind": kind}, kinds=kinds)
    context = _base_context(
        parent,
        form=form,
        preview=preview,
        parent=parent,
        kinds=kinds,
        rate_limited=rate_limited,
        project_field_names=ProjectPage.fact_fields,
        near=parent,
    )
    status = 429 if rate_limited else 200
    return _with_retry_after(TemplateResponse(request, "wiki/new.html", context, status=status), rate_limited)


def page_titles(request):
    """`/page-titles/?q=…`: titles of the pages the visitor may see, for the editor's "link to a page".

    JSON `{"results": [{"title", "place"}]}`, at most links.SUGGEST_LIMIT rows; a text shorter than
    links.SUGGEST_MIN_LENGTH gives none; a longer one than links.SUGGEST_MAX_LENGTH is refused (400).
    Limited per minute like previews (wiki.ratelimits.check_suggest); private: it depends on the visitor.
    """
    text = " ".join(request.GET.get("q", "").split())
    if len(text) > links.SUGGEST_MAX_LENGTH or "\x00" in text:
        message = _("Type at most %(count)d characters.") % {"count": links.SUGGEST_MAX_LENGTH}
        return _private(JsonResponse({"error": message, "results": []}, status=400))
    try:
        ratelimits.check_suggest(request)
    except RateLimited as error:
        return _private(_with_retry_after(JsonResponse({"error": str(error), "results": []}, status=429), error))
    if len(text) < links.SUGGEST_MIN_LENGTH:
        return _private(JsonResponse({"results": []}))
    user = request.user if request.user.is_authenticated else None
    return _private(JsonResponse({"results": links.suggest_pages(text, user)}))


def _private(response):
    response["Cache-Control"] = "private, max-age=60"
    return response


def move_page(request, page):
    """`<page url>move/`: rename and/or move the page; the old address redirects to the new one."""
    if refused := _refuse(request, permissions.can_edit(request.user, page)):
        return refused
    if request.method == "POST":
        form = MoveForm(request.POST, page=page)
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = services.move_page(
                    request.user,
                    page,
                    title=data["title"],
                    parent=Page.objects.get(pk=data["parent"]),
                    summary=data["summary"],
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_service_error(error if isinstance(error, ValidationError) else ValidationError(str(error)))
            else:
                messages.success(request, _("The page has a new address; links to the old one lead here."))
                return redirect(outcome.page.get_url(request))
    else:
        form = MoveForm(initial={"title": page.title, "parent": page.get_parent().pk}, page=page)
    return TemplateResponse(request, "wiki/move.html", _base_context(page, form=form))


# History --------------------------------------------------------------------------


def history(request, page):
    revisions = (
        services.page_revisions(page).select_related("user__member", "wiki_meta").defer("content").order_by("-pk")
    )
    paginator = Paginator(revisions, HISTORY_PER_PAGE)
    page_of_revisions = _page_number(request, paginator)
    rows = list(page_of_revisions.object_list)
    # The revision before the last one shown, for its "changes" link (one small query).
    older = None
    if rows and page_of_revisions.has_next():
        older = (
            services.page_revisions(page)
            .filter(pk__lt=rows[-1].pk)
            .order_by("-pk")
            .values_list("pk", "wiki_meta__hidden")
            .first()
        )
    previous = [(row.pk, _hidden(row)) for row in rows[1:]] + [older or (None, False)]
    # Versions are numbered 1, 2, 3... from the oldest; the list shows the newest first.
    newest_number = paginator.count - page_of_revisions.start_index() + 1
    entries = [
        {
            "revision": row,
            "number": newest_number - index,
            "meta": getattr(row, "wiki_meta", None),
            "previous_id": previous_id,
            "previous_hidden": bool(previous_hidden),
        }
        for index, (row, (previous_id, previous_hidden)) in enumerate(zip(rows, previous, strict=True))
    ]
    context = _base_context(
        page,
        entries=entries,
        page_of_revisions=page_of_revisions,
        latest_id=page.latest_revision_id,
        can_edit=permissions.can_edit(request.user, page),
        can_rollback=permissions.can_rollback(request.user),
        can_moderate=permissions.can_hide(request.user),
    )
    return TemplateResponse(request, "wiki/history.html", context)


def _hidden(revision):
    """Is the revision's content hidden from the public (wiki.moderation)?"""
    return getattr(getattr(revision, "wiki_meta", None), "hidden", False)


def diff(request, page, old_id, new_id):
    try:
        ratelimits.check_diff(request)
    except RateLimited as error:
        context = _base_context(page, rate_limited=error)
        return _with_retry_after(TemplateResponse(request, "wiki/diff.html", context, status=429), error)
    try:
        old = services.get_revision(page, old_id)
        new = services.get_revision(page, new_id)
    except InvalidRevision:
        raise Http404 from None
    revisions = {
        revision.pk: revision
        for revision in services.page_revisions(page)
        .filter(pk__in=[old.pk, new.pk])
        .select_related("user__member", "wiki_meta")
        .defer("content")
    }
    numbers = changes.version_numbers(page, revisions)
    hidden_versions = sorted(numbers[pk] for pk, revision in revisions.items() if _hidden(revision))
    if hidden_versions and not permissions.can_hide(request.user):
        context = _base_context(page, content_hidden=True, hidden_versions=hidden_versions)
        return TemplateResponse(request, "wiki/diff.html", context, status=403)
    page_class = page.specific_class
    before = services.revision_content(page_class, old)
    after = services.revision_content(page_class, new)
    facts = [
        {"label": page_class._meta.get_field(name).verbose_name, "old": before[name], "new": after[name]}
        for name in page_class.fact_fields
        if before[name] != after[name]
    ] + theme_change(page_class, before, after)
    title_segments, hunks = _text_changes(old.pk, new.pk, before, after, cache_it=not hidden_versions)
    context = _base_context(
        page,
        old=revisions[old.pk],
        new=revisions[new.pk],
        versions=[(revisions[old.pk], _("Before"), numbers[old.pk]), (revisions[new.pk], _("After"), numbers[new.pk])],
        old_number=numbers[old.pk],
        title_segments=title_segments,
        hunks=hunks,
        facts=facts,
        latest_id=page.latest_revision_id,
        can_edit=permissions.can_edit(request.user, page),
        hidden_versions=hidden_versions,
    )
    return TemplateResponse(request, "wiki/diff.html", context)


DIFF_CACHE_SECONDS = 60 * 60 * 24 * 7


def _text_changes(old_id, new_id, before, after, *, cache_it):
    """(title segments or None, body hunks) of two revisions, cached: revisions never change.

    The diff of text does not depend on the language, so the two ids are the key. A version
    hidden by a moderator is never cached (moderators get it computed each time), so nothing
    of it stays behind once hidden; the view refuses the public before reading the cache.
    """
    key = f"wiki:diff:v1:{old_id}:{new_id}"
    if cache_it and (cached := cache.get(key)) is not None:
        return cached
    changes = (
        diffs.word_segments(before["title"], after["title"]) if before["title"] != after["title"] else None,
        diffs.word_diff(before["body"], after["body"]),
    )
    if cache_it:
        cache.set(key, changes, DIFF_CACHE_SECONDS)
    return changes


# Reverting ------------------------------------------------------------------------


def _revert(request, page, action, allowed, *, refusal=None):
    if not_post := _post_only(request):
        return not_post
    if refused := _refuse(request, allowed, action=refusal):
        return refused
    try:
        action()
    except InvalidRevision:
        raise Http404 from None
    except EditConflict as error:
        messages.error(request, str(error))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Done: the page has a new version; nothing was deleted from its history."))
    return redirect(page.get_url(request) + "history/")


def _hidden_refusal(request, allowed, reveals_hidden, message):
    """(allowed, refusal): bringing back a hidden version's text is for moderators only."""
    if allowed and not permissions.can_hide(request.user) and reveals_hidden():
        return False, message
    return allowed, None


def undo(request, page, revision_id):
    allowed, refusal = _hidden_refusal(
        request,
        permissions.can_edit(request.user, page),
        lambda: moderation.undo_reveals_hidden(page, revision_id),
        _("Only moderators can undo this edit: it would bring back a version hidden from the public."),
    )
    return _revert(
        request,
        page,
        lambda: services.undo(request.user, page, revision_id, summary=request.POST.get("summary", "")),
        allowed,
        refusal=refusal,
    )


def restore(request, page, revision_id):
    allowed, refusal = _hidden_refusal(
        request,
        permissions.can_edit(request.user, page),
        lambda: moderation.is_hidden(page, revision_id),
        _("Only moderators can restore a version hidden from the public."),
    )
    return _revert(
        request,
        page,
        lambda: services.restore(request.user, page, revision_id, summary=request.POST.get("summary", "")),
        allowed,
        refusal=refusal,
    )


def rollback(request, page):
    return _revert(
        request,
        page,
        lambda: services.rollback(request.user, page),
        permissions.can_rollback_on(request.user, page),
    )


# Across the territory --------------------------------------------------------------


def _page_number(request, paginator):
    """The page `?page=` names (1 when absent); 404 for what is no page number."""
    number = parse_int(request.GET.get("page", "1"), min_value=1)
    if number is None:
        raise Http404
    try:
        return paginator.page(number)
    except EmptyPage:
        raise Http404 from None


def recent_changes(request):
    """`/recent-changes/`: every revision of the wiki, newest first; by commune, period, member, new pages only."""
    commune = territory.commune_from(request.GET.get("commune"))
    new_pages_only = request.GET.get("new") == "1"
    form = changes.ChangesFilterForm(request.GET)
    valid = form.is_valid()
    member = form.cleaned_data["member"] if valid else None
    latest = changes.recent_changes(
        user=request.user,
        place=commune,
        new_pages_only=new_pages_only,
        since=form.since() if valid else None,
        member=member,
    )
    latest = latest[:RECENT_CHANGES_LIMIT] if valid else latest.none()
    paginator = Paginator(latest, RECENT_CHANGES_PER_PAGE)
    page_of_changes = _page_number(request, paginator)
    filters = {}
    if commune:
        filters["commune"] = commune.slug
    if new_pages_only:
        filters["new"] = "1"
    context = {
        "changes": page_of_changes.object_list,
        "page_of_changes": page_of_changes,
        "communes": territory.communes(),
        "commune": commune,
        "form": form,
        "member": member,
        "member_is_public": member is not None and member.show_on_leaderboard and member.user.is_active,
        "new_pages_only": new_pages_only,
        "filter_query": urlencode(filters),  # for the feed: it follows the commune and new pages
        "limit": RECENT_CHANGES_LIMIT,
        "limit_reached": paginator.count >= RECENT_CHANGES_LIMIT,
    }
    return TemplateResponse(request, "wiki/recent_changes.html", context, status=200 if valid else 400)


def revision_changes(request, page, revision_id):
    """`<page url>changes/<id>/`: the diff of one revision with the one before it."""
    try:
        revision = services.get_revision(page, revision_id)
    except InvalidRevision:
        raise Http404 from None
    previous = services.previous_revision(page, revision)
    if previous is None:
        return redirect(f"{page.get_url(request)}history/#v{revision.pk}")
    return redirect(f"{page.get_url(request)}diff/{previous.pk}/{revision.pk}/")


def search(request):
    """`/search/?q=...`: pages, projects, places and workshops, best match first, where each is, with an excerpt."""
    query = wiki_search.clean_query(request.GET.get("q", ""))
    results, page_of_results = [], None
    if query:
        paginator = Paginator(wiki_search.search_pages(query, request.user), SEARCH_RESULTS_PER_PAGE)
        page_of_results = _page_number(request, paginator)
        pages = wiki_search.specific_pages(list(page_of_results.object_list))
        where = wiki_search.locations(pages)
        results = [
            {
                "page": page,
                "kind": page._meta.verbose_name,
                "commune": where[page.pk][0],
                "neighbourhood": where[page.pk][1],
                "excerpt": wiki_search.result_excerpt(page, query),
            }
            for page in pages
        ]
    context = {
        "query": query,
        "results": results,
        "page_of_results": page_of_results,
        **(_create_from_search(request, query) if query and not results else {}),
    }
    return TemplateResponse(request, "wiki/search.html", context)


def _create_from_search(request, query):
    """Nothing found: where a member who may create could write the page "query"; a visitor is asked to sign in."""
    if not request.user.is_authenticated:
        return {"sign_in_url": redirect_to_login(request.get_full_path()).url}
    title = urlencode({"title": query})
    return {
        "create_in": [
            (commune, f"{commune.get_url(request)}new/?{title}")
            for commune in territory.communes(user=request.user)
            if permissions.can_create(request.user, commune)
        ]
    }


def projects(request):
    """`/projects/`: the projects of the territory by status, filterable by commune, status and theme."""
    commune = territory.commune_from(request.GET.get("commune"))
    theme_filter = project_theme_filter(request.GET.get("theme"))
    home = territory.home() if commune is None else commune
    context = {
        "communes": territory.communes(),
        "commune": commune,
        **theme_filter,
        **(
            projects_by_status(commune or home, request, theme=theme_filter["theme"])
            if home
            else {"project_groups": []}
        ),
    }
    return TemplateResponse(request, "wiki/projects.html", context)
