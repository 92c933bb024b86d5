from django.db import models
from django.utils.translation import gettext_lazy as _


class MailFailure(models.Model):
    """An email that could not be sent, and why (civic.mail.send): staff see them in the Wagtail admin.

    Holds recipients' addresses: kept MAIL_FAILURE_DAYS, then deleted when the next failure is recorded.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("email"), max_length=100)
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    error = models.TextField(_("reason"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("failed email")
        verbose_name_plural = _("failed emails")

    def __str__(self):
        return f"{self.kind} → {self.recipients}"
