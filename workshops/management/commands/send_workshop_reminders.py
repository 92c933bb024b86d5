from django.core.management.base import BaseCommand

from workshops.services import send_reminders


class Command(BaseCommand):
    help = "Email a reminder to confirmed registrants of workshops starting within two days (once each)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder{'' if sent == 1 else 's'} queued.")
