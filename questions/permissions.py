"""Who may do what with questions, on top of members.access (the member-level rules).

- residents: verified, not blocked members (`access.is_contributor`) ask and follow;
- the community manager: `access.is_moderator` (the Moderators group; staff too) qualifies;
- a service's agents: members of the service's agents group, and staff, draft and submit its answers;
- a service's validators: members of its validators group, and staff, approve answers they did not write;
- staff: add an answer to the wiki, mark it out of date, keep the list of services.

A question is as private as its page (members.visibility).
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from members import access, visibility


def _in_group(user, group_id):
    if group_id is None or not access.is_signed_in(user):
        return False
    cache = user.__dict__.setdefault("_questions_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("pk", flat=True))
        user.__dict__["_questions_groups"] = cache
    return group_id in cache


def can_ask(user):
    return access.is_contributor(user)


def why_cannot_ask(user, page=None):
    """Why `user` may not ask (about `page`), in words; None when they may.

    Asking is posting: the one rule of members.access (verified, not blocked,
    muted or warned without acknowledging) says why not.
    """
    from django.utils.translation import gettext as _

    reason = access.why_cannot_post(user)
    if reason:
        return reason
    if page is not None and not can_see_page(user, page):
        return _("This page does not exist.")
    return None


def can_see_page(user, page):
    return page.live and visibility.can_see(user if access.is_signed_in(user) else None, page)


def can_see(user, question):
    """A question is as visible as its page."""
    return can_see_page(user, question.page)


def visible(questions, user):
    """`questions` without those on pages `user` may not see (in the same query)."""
    return visibility.visible(questions, user if access.is_signed_in(user) else None, page_field="page")


def can_qualify(user):
    """The community manager (Moderators) and staff route, merge, decline and ask for details."""
    return access.is_moderator(user)


def is_agent(user, service):
    """An agent of `service`: in its agents group, or staff (who may answer for any service)."""
    if not access.is_signed_in(user) or service is None:
        return False
    return access.is_staff_member(user) or _in_group(user, service.agents_id)


def is_any_agent(user):
    from questions.models import Service

    return access.is_staff_member(user) or (
        access.is_signed_in(user) and Service.objects.filter(agents__user=user).exists()
    )


def services_of(user, services):
    """Query twin of `is_agent`: the services of the queryset whose queue `user` sees."""
    if not access.is_signed_in(user):
        return services.none()
    if access.is_staff_member(user):
        return services
    return services.filter(agents__user=user)


def can_answer(user, question):
    return question.service_id is not None and is_agent(user, question.service)


def can_validate(user, answer):
    """A validator of the answer's service (or staff), never the author of the answer."""
    if not access.is_signed_in(user) or answer.author_id == user.pk:
        return False
    return access.is_staff_member(user) or _in_group(user, answer.service.validators_id)


def can_manage_answers(user):
    """Staff add answers to the wiki and mark them out of date."""
    return access.is_staff_member(user)


def can_manage_services(user):
    return access.is_staff_member(user)


def agents_q(service):
    """Q over users: the agents of `service` (its group), staff left out (they are not emailed)."""
    users = get_user_model().groups.through.objects.filter(user_id=OuterRef("pk"), group_id=service.agents_id)
    return access.signed_in_q() & Q(Exists(users))
