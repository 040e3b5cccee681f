from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from casestudies.demo_data import DemoRefused, demo_password, load_demo
from casestudies.exchange import ImportValidationError


class Command(BaseCommand):
    help = "Load reference data, the site structure, demo accounts and demo case studies (idempotent)."

    def handle(self, *args, **options):
        def progress(records):
            return tqdm(records, desc="demo case studies", unit="page", file=self.stderr._out, disable=None)

        try:
            result = load_demo(progress=progress)
        except (ImportValidationError, DemoRefused) as exc:
            raise CommandError(str(exc)) from exc
        for name, report in result["imports"].items():
            self.stdout.write(f"{name}: {report}")
        if result["score_rows"]:
            self.stdout.write(f"demo indicator levels (Data contoh), 2019-2024: {result['score_rows']} rows")
        else:
            self.stdout.write("demo indicator levels (Data contoh): already loaded, kept")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {demo_password()}):"))
        for username, role in result["accounts"]:
            self.stdout.write(f"  {username:<20} {role}")
