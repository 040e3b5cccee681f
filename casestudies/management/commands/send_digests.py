"""Send the weekly digest of what is new on followed indicators and regions (casestudies.digests); idempotent per
user and week. Run weekly by livinglab-digests.timer (docs/deploy.md)."""

from django.core.management.base import BaseCommand, CommandError

from casestudies.digests import last_week, send_digests, week_window


class Command(BaseCommand):
    help = "Send the weekly e-mail digest of followed indicators and regions (once per user and ISO week)."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week such as 2026-W49 (default: the week that ended last)")

    def handle(self, *args, week=None, **options):
        week = week or last_week()
        try:
            week_window(week)
        except ValueError as error:
            raise CommandError(str(error)) from None
        counts = send_digests(week=week)
        self.stdout.write(
            f"digests {week}: {counts['sent']} sent, {counts['already']} already sent, "
            f"{counts['empty']} with nothing new, {counts['failed']} failed"
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} digests failed (logged); the next run tries them again")
