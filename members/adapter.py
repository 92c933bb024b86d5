"""django-allauth's adapter for Quartiers (ACCOUNT_ADAPTER).

Account emails (confirmation, password reset, sign-in codes) go out through
civic.mail like every other email: headers cleaned, a failed send recorded for
staff.

Sign-in: failed passwords are limited per address (an IPv4 address or an IPv6
/64), per network (IPv4 /24, IPv6 /48) and per account, as allauth does, but a
stranger's failures cannot lock a member out: on a device where the member
signed in before (a signed cookie, `quartiers_device`), only that device's own
failures count; anywhere else the member can sign in with a code sent by email
(ACCOUNT_LOGIN_BY_CODE_ENABLED), after which the device is known too.
"""

import ipaddress
import secrets
from datetime import timedelta
from email.utils import parseaddr
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from civic import brand, mail
from civic.addresses import client_address

KNOWN_DEVICE_COOKIE = "quartiers_device"
KNOWN_DEVICE_SALT = "members.known-device"
KNOWN_DEVICE_MEMBERS = 5  # a family computer: the last five members who signed in on it
RATE_LIMIT_APP = "allauth.account"


def user_display(user):
    """How allauth names a member in its messages and emails (ACCOUNT_USER_DISPLAY): their pseudonym."""
    member = getattr(user, "member", None)
    return (member.pseudonym if member is not None else "") or str(_("member"))


def email_context(user, email):
    """What the account emails' shared layout needs: the brand, the site's address, the member's pseudonym."""
    found = brand.current()
    host = urlsplit(settings.SITE_URL).netloc
    if user is None:
        from allauth.account.utils import filter_users_by_email

        user = next(iter(filter_users_by_email(email, is_active=True)), None) if email else None
    member = getattr(user, "member", None) if user is not None else None
    return {
        "brand": found,
        "site_url": settings.SITE_URL,
        # allauth's own templates say current_site.name and .domain: the brand's name, the public host.
        "current_site": SimpleNamespace(name=found.site_name, domain=host),
        "pseudonym": member.pseudonym if member is not None else "",
    }


def network_of(ip):
    """The network an address belongs to for rate limits: its /24 (IPv4) or /48 (IPv6)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def member_digest(user_pk):
    """What the device cookie stores of a member: not their id, a keyed hash of it."""
    return salted_hmac(KNOWN_DEVICE_SALT, str(user_pk), algorithm="sha256").hexdigest()[:24]


def read_device(request):
    """(device id, member digests) of the device's cookie; (None, []) when absent, forged or expired."""
    value = request.COOKIES.get(KNOWN_DEVICE_COOKIE)
    if not value:
        return None, []
    try:
        data = signing.loads(value, salt=KNOWN_DEVICE_SALT, max_age=timedelta(days=settings.SIGNIN_KNOWN_DEVICE_DAYS))
        return str(data["d"]), [str(digest) for digest in data["m"]][:KNOWN_DEVICE_MEMBERS]
    except (signing.BadSignature, KeyError, TypeError):
        return None, []


def remember_device(request, response, user):
    """Mark this device as one `user` signed in on (a year by default)."""
    device, digests = read_device(request)
    digest = member_digest(user.pk)
    digests = [digest, *[d for d in digests if d != digest]][:KNOWN_DEVICE_MEMBERS]
    value = signing.dumps({"d": device or secrets.token_urlsafe(12), "m": digests}, salt=KNOWN_DEVICE_SALT)
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        value,
        max_age=settings.SIGNIN_KNOWN_DEVICE_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _rates(action, per=None):
    """The configured rates of `action` (ACCOUNT_RATE_LIMITS), only those counted `per` ip or key if given."""
    value = account_settings.RATE_LIMITS.get(action) or ""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    return ",".join(part for part in parts if per is None or ratelimit.parse_rate(part).per == per)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """One reader of the visitor's address for every limit of the site (civic.addresses)."""
        return client_address(request) or super().get_client_ip(request)

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_failures_network": _(
            "Too many failed attempts from this network; you can still sign in from a device you used before, "
            "or with a code sent by email."
        ),
        "too_many_failures_account": _(
            "Too many failed attempts for this account; you can still sign in from a device you used before, "
            "or with a code sent by email."
        ),
        "too_many_failures_device": _("Too many failed attempts from this device. Try again in a few minutes."),
    }

    # -- emails ---------------------------------------------------------------

    def format_email_subject(self, subject):
        """`[site name] subject`: the collectivité's name from the brand setting, never the host."""
        return mail.header_text(f"[{brand.current().site_name}] {subject}")

    def get_from_email(self):
        """The site's sender address under the brand's name."""
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        return mail.mailbox(brand.current().site_name, address) if address else settings.DEFAULT_FROM_EMAIL

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's text email, plus its HTML version in the layout every email of the site shares."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            html = render_to_string(
                "email/account.html",
                {**context, "body": message.body, "subject": message.subject},
                request=context.get("request"),
            )
            message.attach_alternative(html, "text/html")
        return message

    def send_mail(self, template_prefix, email, context):
        from allauth.core import context as allauth_context

        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, **context, **email_context(context.get("user"), email)},
        )
        # Recorded, then raised as allauth expects: the person asking is told it did not work.
        mail.send(message, kind=f"account: {template_prefix.rsplit('/', 1)[-1]}", fail_silently=False)

    # -- sign-in limits -------------------------------------------------------

    def pre_authenticate(self, request, **credentials):
        """Count this attempt before checking the password; allauth gives it back when the password is right."""
        login_key = self._get_login_attempts_cache_key(request, **credentials)
        device = self._known_device_of(request, credentials)
        if device:
            checks = [
                ("login_failed_known_device", _rates("login_failed_known_device"), f"{device}:{login_key}", "device"),
            ]
        else:
            network = network_of(self.get_client_ip(request))
            checks = [
                ("login_failed", _rates("login_failed", per="ip"), None, "network"),
                ("login_failed_network", _rates("login_failed_network"), network, "network"),
                ("login_failed", _rates("login_failed", per="key"), login_key, "account"),
            ]
        usages = []
        for action, rates, key, refusal in checks:
            if not rates:
                continue
            usage = ratelimit.consume(request, app=RATE_LIMIT_APP, action=action, config={action: rates}, key=key)
            if usage is None:
                raise self.validation_error(f"too_many_failures_{refusal}")
            usages.extend(usage.usage)
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(usage=usages)

    def _known_device_of(self, request, credentials):
        """This device's id if the member whose address was typed signed in on it before, else None."""
        device, digests = read_device(request)
        login = credentials.get("email") or credentials.get("username")
        if not device or not login:
            return None
        from allauth.account.utils import filter_users_by_email

        users = filter_users_by_email(login, is_active=True)
        return device if any(member_digest(user.pk) in digests for user in users) else None

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        remember_device(request, response, user)
        return response
