from django.core.management.base import BaseCommand

from workshops.waves import run_waves


class Command(BaseCommand):
    help = "Expire unanswered wave invitations and invite the next eligible members (run by cron)."

    def handle(self, *args, **options):
        sent = run_waves()
        self.stdout.write(f"{sent} invitation{'' if sent == 1 else 's'} sent.")
