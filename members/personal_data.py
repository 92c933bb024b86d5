"""The personal-data registry: what each app holds about a member, how it is exported, how it is erased.

Modelled on pretix's data shredders (pretix/base/shredder.py): one `PersonalData`
subclass per kind of data, with an `identifier` (its key in the JSON export),
a `verbose_name`, `export_data(member)` returning JSON-ready data and
`erase(member)`. The `/me/export/` download and account deletion go through
this registry only, so a new app's data is exported and erased the day it
registers, and never otherwise.

Each app registers its own kinds from its `AppConfig.ready()` (wiki and
workshops do; discussion, questions and media will): the higher app registers
with this lower one, so `members` imports no app above it. `covers` names the
foreign keys to a member or a user ("app_label.Model.field") whose rows a kind
answers for; tests/members/test_gdpr.py fails when a model has such a key that
no registered kind covers.

Erasure runs in one transaction (members.services.delete_account), in the
reverse order of registration: the higher apps let go of the member first
(a workshop seat is freed while the account is still whole), the account is
anonymised last. Erasure removes what identifies the member and keeps their
contributions (revisions, ledger lines detached) and the records that prove
a consent or a moderation decision.
"""

import secrets

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_registry = {}


class PersonalData:
    """One kind of personal data an app holds about a member."""

    identifier = ""  # key in the JSON export: lower-case, unique
    verbose_name = ""
    covers = ()  # "app_label.Model.field", foreign keys to members.Member or the user model

    def export_data(self, member):
        """JSON-ready data (dicts, lists, strings, numbers, None): only the member's own."""
        raise NotImplementedError

    def erase(self, member):
        """Remove or anonymise this data of a member whose account is being deleted.

        Runs inside delete_account's transaction; may return a number (rows
        changed) for the log, which never names the member.
        """
        raise NotImplementedError


def register(kind):
    """Register a PersonalData subclass (usable as a class decorator); its identifier must be new."""
    if not kind.identifier:
        raise ValueError(f"{kind.__name__} has no identifier")
    if kind.identifier in _registry and type(_registry[kind.identifier]) is not kind:
        raise ValueError(f"Personal data {kind.identifier!r} is already registered")
    _registry[kind.identifier] = kind()
    return kind


def registered():
    """The registered kinds, in the order of registration (members first, then the apps above it)."""
    return list(_registry.values())


def covered_fields():
    """{"app_label.Model.field": identifier} for every foreign key a registered kind answers for."""
    return {field: kind.identifier for kind in registered() for field in kind.covers}


def export(member):
    """Everything Quartiers holds about a member, as JSON-ready data (GDPR access and portability)."""
    data = {"exported_at": timezone.now().isoformat()}
    for kind in registered():
        data[kind.identifier] = kind.export_data(member)
    return data


def erase(member):
    """Erase a member's personal data, kind by kind; returns {identifier: what erase() returned}."""
    return {kind.identifier: kind.erase(member) for kind in reversed(registered())}


def iso(moment):
    return moment.isoformat() if moment else None


# -- what members itself holds ---------------------------------------------------


@register
class Profile(PersonalData):
    """The account and the member's profile; erased last: the user row stays, anonymised.

    The user row is kept (inactive, random username and email, unusable
    password) so that what stays attributed to it (wiki revisions, moderation
    decisions) points to nobody.
    """

    identifier = "profile"
    verbose_name = _("Profile")
    covers = ("members.Member.user",)

    def export_data(self, member):
        user = member.user
        return {
            "pseudonym": member.pseudonym,
            "email": user.email,
            "joined": iso(member.created_at),
            "last_login": iso(user.last_login),
            "home_commune": member.commune.title if member.commune else None,
            "neighbourhood": member.neighbourhood.title if member.neighbourhood else None,
            "show_on_leaderboard": member.show_on_leaderboard,
            "accept_invitations": member.accept_invitations,
        }

    def erase(self, member):
        from members.services import former_member_label, update_profile

        user = member.user
        token = secrets.token_hex(16)
        user.username = f"deleted-{token}"
        user.email = f"{token}@deleted.invalid"
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        # Every consent off, each change logged (ConsentRecord) as for any profile change.
        update_profile(
            member,
            pseudonym=former_member_label(member),
            commune=None,
            neighbourhood=None,
            show_on_leaderboard=False,
            accept_invitations=False,
        )


@register
class EmailAddresses(PersonalData):
    identifier = "email_addresses"
    verbose_name = _("Email addresses")
    covers = ("account.EmailAddress.user",)

    def export_data(self, member):
        from allauth.account.models import EmailAddress

        return [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=member.user_id).order_by("pk")
        ]

    def erase(self, member):
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user=member.user_id).delete()[0]


@register
class FailedEmails(PersonalData):
    """Emails to the member that could not be sent (civic.models.MailFailure): they name the address, not the member.

    Registered after EmailAddresses, so erased before it (reverse order) while the addresses are still known.
    """

    identifier = "failed_emails"
    verbose_name = _("Emails that could not be sent to you")

    def _failures(self, member):
        from allauth.account.models import EmailAddress

        from civic.models import MailFailure

        addresses = {
            address.lower()
            for address in EmailAddress.objects.filter(user=member.user_id).values_list("email", flat=True)
        }
        if member.user.email:
            addresses.add(member.user.email.lower())
        if not addresses:
            return []
        candidates = MailFailure.objects.none()
        for address in addresses:
            candidates = candidates | MailFailure.objects.filter(recipients__icontains=address)
        # recipients__icontains also matches a longer address that contains this one: keep exact ones.
        return [
            failure
            for failure in candidates.order_by("created_at", "pk")
            if addresses & {part.strip().lower() for part in failure.recipients.split(",")}
        ]

    def export_data(self, member):
        return [
            {
                "when": iso(failure.created_at),
                "email": failure.kind,
                "subject": failure.subject,
                "reason": failure.error,
            }
            for failure in self._failures(member)
        ]

    def erase(self, member):
        from civic.models import MailFailure

        pks = [failure.pk for failure in self._failures(member)]
        return MailFailure.objects.filter(pk__in=pks).delete()[0]


@register
class SocialAccounts(PersonalData):
    """Accounts at an identity provider (allauth.socialaccount, when installed); their tokens go with them."""

    identifier = "social_accounts"
    verbose_name = _("Sign-in with another service")
    covers = ("socialaccount.SocialAccount.user",)

    def _accounts(self, member):
        if not apps.is_installed("allauth.socialaccount"):
            return None
        from allauth.socialaccount.models import SocialAccount

        return SocialAccount.objects.filter(user=member.user_id).order_by("pk")

    def export_data(self, member):
        accounts = self._accounts(member)
        if accounts is None:
            return []
        return [
            {"provider": account.provider, "uid": account.uid, "date_joined": iso(account.date_joined)}
            for account in accounts
        ]

    def erase(self, member):
        accounts = self._accounts(member)
        return 0 if accounts is None else accounts.delete()[0]


@register
class AdminPreferences(PersonalData):
    """What the Wagtail admin keeps per user: preferences, avatar, notifications, editing sessions, API tokens.

    Only staff and moderators use the admin; erasure deletes all of it (the
    avatar file too), as none of it is a contribution.
    """

    identifier = "admin_preferences"
    verbose_name = _("Administration preferences")
    covers = (
        "wagtailusers.UserProfile.user",
        "wagtailcore.PageSubscription.user",
        "wagtailadmin.EditingSession.user",
        "wagtailadmin.FormState.user",
        "wagtailcore.APIToken.user",
    )

    def export_data(self, member):
        from wagtail.admin.models import EditingSession
        from wagtail.models import PageSubscription
        from wagtail.users.models import UserProfile

        profile = UserProfile.objects.filter(user=member.user_id).first()
        data = {
            "profile": profile
            and {
                "preferred_language": profile.preferred_language,
                "time_zone": profile.current_time_zone,
                "has_avatar": bool(profile.avatar),
                "theme": profile.theme,
            },
            "comment_notifications_on_pages": [
                subscription.page.title
                for subscription in PageSubscription.objects.filter(user=member.user_id, comment_notifications=True)
                .select_related("page")
                .order_by("pk")
            ],
            "editing_sessions": EditingSession.objects.filter(user=member.user_id).count(),
        }
        token_model = _api_token_model()
        if token_model is not None:
            data["api_tokens"] = [
                {"name": token.name, "created": iso(token.created), "revoked_at": iso(token.revoked_at)}
                for token in token_model.objects.filter(user=member.user_id).order_by("pk")
            ]
        return data

    def erase(self, member):
        from wagtail.admin.models import EditingSession, FormState
        from wagtail.models import PageSubscription
        from wagtail.users.models import UserProfile

        deleted = 0
        for profile in UserProfile.objects.filter(user=member.user_id):
            if profile.avatar:
                profile.avatar.delete(save=False)
            deleted += profile.delete()[0]
        models = [PageSubscription, EditingSession, FormState]
        if (token_model := _api_token_model()) is not None:
            models.append(token_model)
        for model in models:
            deleted += model.objects.filter(user=member.user_id).delete()[0]
        return deleted


def _api_token_model():
    try:
        return apps.get_model("wagtailcore", "APIToken")
    except LookupError:  # older Wagtail
        return None


@register
class Consents(PersonalData):
    """The log of consents given and withdrawn: kept at erasure, as the proof of what was agreed and when."""

    identifier = "consents"
    verbose_name = _("Consents")
    covers = ("members.ConsentRecord.member",)

    def export_data(self, member):
        return [
            {"consent": record.consent, "given": record.given, "recorded_at": iso(record.recorded_at)}
            for record in member.consent_records.all()
        ]

    def erase(self, member):
        return 0  # the profile's erasure logs the withdrawal of every consent


@register
class Ledger(PersonalData):
    """Engagement ledger lines: detached (member emptied) at erasure, never deleted (the ledger is append-only)."""

    identifier = "ledger"
    verbose_name = _("Engagement ledger")
    covers = ("members.Activity.member",)

    def export_data(self, member):
        return [
            {
                "id": line.pk,
                "kind": line.kind,
                "occurred_at": iso(line.occurred_at),
                "page": line.page.title if line.page else None,
                "page_url": line.page.url_path if line.page else None,
                "revision": line.revision_id,
                "about": line.target,
                "concerns": line.concerns_id,
                "characters_changed": line.chars_changed,
                "facts": line.facts,
            }
            for line in member.activities.select_related("page").order_by("occurred_at", "pk")
        ]

    def erase(self, member):
        from members.models import Activity

        return Activity.objects.filter(member=member).update(member=None)


@register
class Blocks(PersonalData):
    """Blocks of the member: kept at erasure (a moderation decision), on the anonymised member.

    `created_by` (the moderator who blocked someone) stays too: a moderator
    deleting their account does not undo their decisions, which then point to
    the anonymised account; the export does not list whom they blocked.
    """

    identifier = "blocks"
    verbose_name = _("Blocks")
    covers = ("members.Block.member", "members.Block.created_by")

    def export_data(self, member):
        return [
            {"reason": block.reason, "starts_at": iso(block.starts_at), "ends_at": iso(block.ends_at)}
            for block in member.blocks.all()
        ]

    def erase(self, member):
        return 0


@register
class Moderation(PersonalData):
    """Moderation decisions about the member, their mutes and warnings: kept at erasure (decisions).

    The export lists what concerns the member (the statements of reasons they
    were told, their appeals, mutes and warnings), never the reports others
    filed about them nor moderators' internal notes. Reports and appeals the
    member wrote stay in the log, on the anonymised account, with their text.
    Decisions a moderator took stay credited to the anonymised account.
    """

    identifier = "moderation"
    verbose_name = _("Moderation")
    covers = (
        "members.ModerationDecision.member",
        "members.ModerationDecision.actor",
        "members.Mute.member",
        "members.Mute.created_by",
        "members.Warning.member",
        "members.Warning.created_by",
    )

    def export_data(self, member):
        from members.models import ModerationDecision

        told = ModerationDecision.objects.filter(member=member).exclude(statement="").order_by("created_at", "pk")
        own = ModerationDecision.objects.filter(
            actor_id=member.user_id, action=ModerationDecision.Action.APPEAL
        ).order_by("created_at", "pk")
        return {
            "decisions": [
                {
                    "action": decision.action,
                    "item": decision.target_label,
                    "rule": decision.rule,
                    "statement": decision.statement,
                    "at": iso(decision.created_at),
                    "until": iso(decision.ends_at),
                }
                for decision in told
            ],
            "appeals": [{"text": appeal.details, "at": iso(appeal.created_at)} for appeal in own],
            "mutes": [
                {"reason": mute.reason, "starts_at": iso(mute.starts_at), "ends_at": iso(mute.ends_at)}
                for mute in member.mutes.all()
            ],
            "warnings": [
                {
                    "message": warning.message,
                    "at": iso(warning.created_at),
                    "acknowledged_at": iso(warning.acknowledged_at),
                }
                for warning in member.warnings.all()
            ],
        }

    def erase(self, member):
        return 0
