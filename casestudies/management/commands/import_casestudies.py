from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from casestudies.exchange import ImportValidationError, import_file


class Command(BaseCommand):
    help = (
        "Import case studies from a .jsonl (one JSON object per line) or .csv file. All-or-nothing; "
        "idempotent by external_id. Format: docs/import-export.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--publish", action="store_true", help="Publish imported pages (default: save as drafts).")
        parser.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")
        parser.add_argument("--demo", action="store_true", help="Mark new pages as demo data ('Data contoh').")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace pages edited on the site since the file was exported or last imported "
            "(refused otherwise); each overwrite is recorded in the page's history.",
        )

    def handle(self, *args, file: Path, publish: bool, dry_run: bool, demo: bool, overwrite: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if file.suffix.lower() not in {".jsonl", ".csv"}:
            raise CommandError(f"{file}: expected a .jsonl or .csv file")

        def progress(records):
            return tqdm(records, desc="import", unit="page", file=self.stderr._out, disable=None)

        try:
            report = import_file(
                file, publish=publish, dry_run=dry_run, progress=progress, demo=demo, overwrite=overwrite
            )
        except ImportValidationError as exc:
            for error in exc.errors:
                self.stderr.write(f"{file.name}: {error}")
            raise CommandError(f"{len(exc.errors)} error(s); nothing was written.") from exc
        if dry_run:
            self.stdout.write(f"{len(report.external_ids)} record(s) valid; nothing written (--dry-run).")
        else:
            self.stdout.write(self.style.SUCCESS(f"{file.name}: {report}"))
