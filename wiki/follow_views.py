"""Views of following pages: the Follow button's route, the member's list, the one-click unfollow link.

Kept apart from wiki.views so that the feature stays in one place; thin as
they are: validate with a form, call wiki.follows, redirect.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from civic.params import MAX_ID, IdField, parse_int
from wiki import follows, permissions

FOLLOWS_PER_PAGE = 50


class FollowForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[("follow", gettext_lazy("Follow")), ("unfollow", gettext_lazy("Unfollow"))],
    )


class UnfollowForm(forms.Form):
    """On /me/follows/: one page (its id), or every page with `all`."""

    page = IdField(label=gettext_lazy("Page"), required=False)
    all = forms.BooleanField(label=gettext_lazy("Every page"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("all") and not data.get("page"):
            raise forms.ValidationError(_("Choose the page to stop following."))
        return data


@require_http_methods(["POST"])
def follow_page(request, page):
    """`<page url>follow/` (POST): follow or unfollow the page, back to the page with a message."""
    action = request.POST.get("action")
    if action != "unfollow":
        from wiki.views import _refuse

        if refused := _refuse(request, permissions.can_follow(request.user, page)):
            return refused
    elif not request.user.is_authenticated:
        return redirect_to_login(page.get_url(request))
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Use the Follow or Unfollow button of the page."))
    elif form.cleaned_data["action"] == "follow":
        follows.follow(request.user, page)
        messages.success(
            request,
            _("You follow this page. When other members change it, you will get one email that sums up their changes."),
        )
    elif follows.unfollow(request.user, page):
        messages.success(request, _("You no longer follow this page."))
    else:
        messages.info(request, _("You were not following this page."))
    return redirect(page.get_url(request))


@require_http_methods(["GET", "POST"])
def followed_pages(request):
    """`/me/follows/`: the pages the member follows, with a button to stop following each (or all)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        form = UnfollowForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.non_field_errors()) or _("Choose the page to stop following."))
        elif form.cleaned_data["all"]:
            count = follows.unfollow_all(request.user)
            messages.success(
                request,
                ngettext(
                    "You no longer follow any page (%(count)d stopped).",
                    "You no longer follow any page (%(count)d stopped).",
                    count,
                )
                % {"count": count},
            )
        else:
            page = Page.objects.filter(pk=form.cleaned_data["page"]).first()
            if page is not None and follows.unfollow(request.user, page):
                messages.success(request, _("You no longer follow “%(title)s”.") % {"title": page.title})
            else:
                messages.info(request, _("You were not following this page."))
        url = reverse("wiki:followed-pages")
        number = parse_int(request.POST.get("list_page", ""), min_value=1, max_value=MAX_ID)
        return redirect(f"{url}?page={number}" if number else url)
    page_of_follows = Paginator(follows.followed_pages(request.user), FOLLOWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_of_follows": page_of_follows,
        "can_follow": permissions.is_verified(request.user),
    }
    return TemplateResponse(request, "wiki/follows.html", context)


@csrf_exempt  # the signed token in the address is the proof; mail apps POST here without a CSRF token (RFC 8058)
@require_http_methods(["GET", "POST"])
def unfollow_all(request, token):
    """The "stop following all pages" link of the digest emails: works without signing in.

    GET only asks for confirmation (mail scanners open links); POST stops every follow.
    """
    user = follows.user_from_unfollow_token(token)
    if user is None:
        return TemplateResponse(request, "wiki/unfollow_all.html", {"invalid": True}, status=404)
    done = False
    count = None
    if request.method == "POST":
        count = follows.unfollow_all(user)
        done = True
    return TemplateResponse(request, "wiki/unfollow_all.html", {"done": done, "count": count})
