import json
import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members import scoring
from members.forms import DeleteAccountForm, LeaderboardFilterForm, ProfileForm
from members.models import Member, ModerationDecision, Warning
from members.moderation_forms import AppealForm
from members.services import (
    SanctionRefused,
    appeal_decision,
    delete_account,
    ensure_member,
    export_member_data,
    why_cannot_appeal,
)
from members.services import acknowledge_warning as acknowledge_warning_service

log = logging.getLogger(__name__)
LEADERBOARD_PER_PAGE = scoring.PUBLIC_PAGE_SIZE  # one page of the table is one cached page


@login_required
def profile(request):
    member = ensure_member(request.user)
    form = ProfileForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        form.save_profile(member)
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:profile")
    standing = scoring.member_standing(member)
    pending_edits, pending_points = scoring.awaiting_patrol(member)
    return render(
        request,
        "members/profile.html",
        {
            "form": form,
            "member": member,
            "standing": standing,
            "not_ranking_because": [] if standing.rank else scoring.ineligibility_reasons(member),
            "active_block": member.current_block(),
            "pending_edits": pending_edits,
            "pending_points": pending_points,
        },
    )


@login_required
def points(request):
    """How points are earned, with the current weights."""
    rules = scoring.load_rules()
    edit_weight = rules.weights[scoring.Kind.EDIT]
    context = {
        "rules": rules,
        "weights": scoring.weight_table(rules),
        "sanction_rank_days": rules.sanction_rank_days,
    }
    return render(request, "members/points.html", {**context, "edit_min": edit_weight, "edit_max": 5 * edit_weight})


def leaderboard(request):
    form = LeaderboardFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "members/leaderboard.html", {"form": form}, status=400)
    period = form.cleaned_data["period"]
    ranking = scoring.public_leaderboard(period=period, territory=form.territory, theme=form.cleaned_data["theme"])
    # A métropole has thousands of contributors: show them a page at a time.
    public_page = Paginator(ranking.public, LEADERBOARD_PER_PAGE).get_page(request.GET.get("page"))
    public_page.object_list = ranking.public_standings(public_page.object_list)
    return render(
        request,
        "members/leaderboard.html",
        {
            "form": form,
            "ranking": ranking,
            "public_page": public_page,
            "period_label": scoring.PERIOD_LABELS[period],
            "cache_minutes": max(1, scoring.cache_seconds() // 60),
        },
    )


def member_contributions(request, member_id):
    member = get_object_or_404(Member, pk=member_id, show_on_leaderboard=True, user__is_active=True)
    rules = scoring.load_rules()
    return render(
        request,
        "members/contributions.html",
        {
            "member": member,
            "standing": scoring.member_standing(member),
            "lines": scoring.recent_contributions(member, rules, viewer=request.user),
        },
    )


@login_required
def export(request):
    data = export_member_data(ensure_member(request.user))
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str), content_type="application/json; charset=utf-8"
    )
    filename = f"quartiers-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted. Your contributions stay, without your name."))
        return redirect("/")
    return render(request, "members/delete.html", {"form": form})


# Moderation decisions about me: appeal, acknowledge a warning ------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request, decision_id):
    """Contest a decision about me, once, with a text (someone else's decision: 404)."""
    member = ensure_member(request.user)
    decision = get_object_or_404(ModerationDecision, pk=decision_id, member=member)
    form = AppealForm(request.POST or None)
    refused = why_cannot_appeal(member, decision)
    if request.method == "POST" and refused is None and form.is_valid():
        try:
            appeal_decision(request.user, decision, text=form.cleaned_data["text"])
        except SanctionRefused as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your appeal is sent: a moderator other than the one who decided will review it.")
            )
            return redirect(reverse("members:profile") + f"#decision-{decision.pk}")
    status = 400 if request.method == "POST" and (refused or form.errors) else 200
    return render(
        request,
        "members/appeal.html",
        {"form": form, "decision": decision, "refused": refused},
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def acknowledge_warning(request, warning_id):
    member = ensure_member(request.user)
    warning = get_object_or_404(Warning, pk=warning_id, member=member)
    acknowledge_warning_service(member, warning)
    messages.success(request, _("Thank you: you can post again."))
    return redirect(reverse("members:profile") + "#my-moderation")
