"""django-allauth's adapter for Quartiers (ACCOUNT_ADAPTER).

Account emails (confirmation, password reset, sign-in codes) go out through
civic.mail like every other email: headers cleaned, a failed send recorded for
staff.
"""

from allauth.account.adapter import DefaultAccountAdapter

from civic import mail


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject):
        return mail.header_text(super().format_email_subject(subject))

    def send_mail(self, template_prefix, email, context):
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
        )
        # Recorded, then raised as allauth expects: the person asking is told it did not work.
        mail.send(message, kind=f"account: {template_prefix.rsplit('/', 1)[-1]}", fail_silently=False)
