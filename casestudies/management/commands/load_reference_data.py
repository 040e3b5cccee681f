from django.core.management.base import BaseCommand, CommandError

from casestudies.reference_data import ReferenceDataError, load_all


class Command(BaseCommand):
    help = "Load or refresh the SPBE taxonomy and the Kemendagri regions (idempotent)."

    def handle(self, *args, **options):
        try:
            reports = load_all()
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] > 0:
            for name, report in reports.items():
                self.stdout.write(f"{name}: {report}")
        for report in reports.values():
            for message in report.skipped:
                self.stderr.write(f"skipped: {message}")
