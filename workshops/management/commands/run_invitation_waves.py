from django.core.management.base import BaseCommand

from workshops.waves import run_waves


class Command(BaseCommand):
    help = "Expire unanswered wave invitations and invite the next eligible members (run by cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{run_waves()} invitation(s) sent.")
