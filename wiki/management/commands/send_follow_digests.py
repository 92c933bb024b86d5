from django.core.management.base import BaseCommand

from wiki.follows import send_digests


class Command(BaseCommand):
    help = (
        "Email every member one digest of the followed pages other people changed since their last digest "
        "(run it daily or hourly from cron; running it twice sends nothing new)."
    )

    def handle(self, *args, **options):
        queued = send_digests()
        self.stdout.write(f"{queued} digest{'' if queued == 1 else 's'} queued.")
