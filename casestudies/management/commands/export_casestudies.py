from pathlib import Path

from django.core.management.base import BaseCommand

from casestudies.records import export_pages, pages_to_export


class Command(BaseCommand):
    help = "Export case studies as .jsonl or .csv in the format import_casestudies reads (round trip)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--output", "-o", type=Path, help="File to write (default: standard output).")
        parser.add_argument(
            "--include-drafts", action="store_true", help="Also export unpublished pages (latest revision)."
        )

    def handle(self, *args, format: str, output: Path | None, include_drafts: bool, **options):
        pages = pages_to_export(include_drafts=include_drafts)
        if output:
            with output.open("w", encoding="utf-8", newline="") as stream:
                count = export_pages(pages, format, stream)
            self.stderr.write(f"{count} case studies written to {output}")
        else:
            export_pages(pages, format, self.stdout)
