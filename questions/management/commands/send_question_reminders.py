from django.core.management.base import BaseCommand

from questions.services import send_reminders


class Command(BaseCommand):
    help = "Email each service before a question's deadline and once when it is overdue (run daily from cron)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) queued.")
