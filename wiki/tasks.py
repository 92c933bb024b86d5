"""Background tasks of the wiki: the digest emails of followed pages go out here, never in a request."""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django_tasks import task

from civic import mail
from wiki import follows

logger = logging.getLogger(__name__)


def language_for(user):
    """The recipient's language if their profile stores a supported one, else the site's (French)."""
    chosen = getattr(getattr(user, "member", None), "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def build_message(digest):
    user = digest.user
    unfollow_all_url = follows.unfollow_all_url(user)
    context = {
        "member": getattr(user, "member", None),
        "entries": digest.entries,
        "manage_url": follows.manage_url(),
        "unfollow_all_url": unfollow_all_url,
    }
    count = len(digest.entries)
    if count == 1:
        subject = gettext("A page you follow has changed: %(title)s") % {
            "title": mail.header_text(digest.entries[0].title)
        }
    else:
        subject = ngettext(
            "%(count)d page you follow has changed", "%(count)d pages you follow have changed", count
        ) % {"count": count}
    message = EmailMultiAlternatives(
        subject="[Quartiers] " + subject,
        body=render_to_string("wiki/email/digest.txt", context),
        to=[user.email],
        headers={
            # RFC 8058: mail apps show an unsubscribe button that POSTs to this link.
            "List-Unsubscribe": f"<{unfollow_all_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("wiki/email/digest.html", context), "text/html")
    return message


@task()
def send_digest(user_id, until, windows):
    """Send one member's digest of the followed pages others changed in `windows` up to `until`.

    The digest is rebuilt as the database is now, so a revision hidden since it
    was queued shows no summary. If sending fails the windows are given back
    and the next run of send_follow_digests tries again.
    """
    until = datetime.fromisoformat(until)
    windows = [follows.Window.from_task_argument(value) for value in windows]
    user = get_user_model().objects.select_related("member").filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    with translation.override(language_for(user)):
        digest = follows.digest_for(user, windows, until)
        if digest is None:
            return False
        try:
            message = build_message(digest)
        except Exception:  # noqa: BLE001 - the windows go back whatever went wrong
            logger.exception("follow digest to user %s could not be built", user_id)
            follows.release(user_id, windows, until)
            return False
        # civic.mail records a failed send for staff ("Failed emails"); the windows go back for the next run.
        if mail.send(message, kind="wiki: follow digest"):
            follows.release(user_id, windows, until)
            return False
    return True
