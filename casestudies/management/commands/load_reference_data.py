from django.core.management.base import BaseCommand, CommandError

from casestudies.reference_data import ReferenceDataError, load_all
from casestudies.services import site_structure_ensure


class Command(BaseCommand):
    help = (
        "Load or refresh the SPBE taxonomy, the Kemendagri regions and the official results, and make the site "
        "structure (home, regions index, indicator explorer, moderators group, moderation workflow). Idempotent."
    )

    def handle(self, *args, **options):
        try:
            reports = load_all()
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        structure = site_structure_ensure()
        if options["verbosity"] > 0:
            for name, report in reports.items():
                self.stdout.write(f"{name}: {report}")
            home = structure["home"]
            self.stdout.write(f"site structure: {home.title} at {home.get_site().root_url}")
        for report in reports.values():
            for message in report.skipped:
                self.stderr.write(f"skipped: {message}")
