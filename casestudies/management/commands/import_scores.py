from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from tqdm import tqdm

from casestudies.exchange import MAX_ERRORS, ImportValidationError
from casestudies.scores.import_files import SUFFIXES
from casestudies.scores.importer import SOURCE_MAX, default_source, import_scores


class Command(BaseCommand):
    help = (
        "Import SPBE scores (indicator levels 1–5, or aspect/domain/index values) from a .csv or .xlsx file. "
        "All-or-nothing; idempotent; official values are never touched. Format: docs/scores-import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")
        parser.add_argument(
            "--source",
            help=f"Where the scores come from, stored with each row (at most {SOURCE_MAX} characters; "
            "default: 'Impor <file name>').",
        )

    def handle(self, *args, file: Path, dry_run: bool, source: str | None, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if file.suffix.lower() not in SUFFIXES:
            raise CommandError(f"{file}: expected a .csv or .xlsx file (save other spreadsheets as .xlsx)")
        if source is None:
            source = default_source(file)
        source = source.strip()
        if not source:
            raise CommandError("--source must not be empty")
        if len(source) > SOURCE_MAX:
            raise CommandError(f"--source is {len(source)} characters; at most {SOURCE_MAX}")

        def progress(rows):
            return tqdm(rows, desc="import", unit="row", file=self.stderr._out, disable=None)

        try:
            report = import_scores(file, source=source, dry_run=dry_run, progress=progress)
        except ImportValidationError as exc:
            for error in exc.errors:
                self.stderr.write(f"{file.name}: {error}")
            stopped = f" (at most {MAX_ERRORS} are reported)" if len(exc.errors) >= MAX_ERRORS else ""
            raise CommandError(f"{len(exc.errors)} error(s){stopped}; nothing was written.") from exc
        except IntegrityError as exc:  # another import wrote the same rows between our read and our write
            raise CommandError(
                f"{file.name}: the same scores were written by someone else meanwhile ({exc}); nothing was "
                "written, run the import again."
            ) from exc
        if dry_run:
            self.stdout.write(
                f"{file.name}: {report.rows} row(s) valid; would be {report}; nothing written (--dry-run)."
            )
            return
        recalculated = f"; {report.recalculated} computed value(s) recalculated" if report.recalculated else ""
        self.stdout.write(self.style.SUCCESS(f"{file.name}: {report}{recalculated}"))
