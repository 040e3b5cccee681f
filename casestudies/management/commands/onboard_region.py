from django.core.management.base import BaseCommand, CommandError

from casestudies.onboarding import OnboardingError, region_onboard


class Command(BaseCommand):
    help = (
        "Onboard a region: its page, officers group and media collection (if missing), one account per --officer "
        "e-mail (username = the address, no usable password) and an invitation e-mail to set a password. "
        "Idempotent: run it again to add officers; --resend invites again those who have not set a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="Kemendagri region code, e.g. 32.11")
        parser.add_argument("--officer", action="append", default=[], metavar="EMAIL", help="repeat for each officer")
        parser.add_argument(
            "--name",
            action="append",
            default=[],
            metavar="NAMA",
            help="full name of the officer at the same position (first --name for the first --officer, …)",
        )
        parser.add_argument("--resend", action="store_true", help="invite again officers who have no password yet")

    def handle(self, *args, code: str, officer: list[str], name: list[str], resend: bool, **options):
        if len(name) > len(officer):
            raise CommandError(f"{len(name)} --name for {len(officer)} --officer: give each name after its e-mail")
        try:
            report = region_onboard(code=code, emails=officer, names=name, resend=resend)
        except OnboardingError as error:
            raise CommandError(f"{error} Nothing was written.") from error
        page_note = "page created" if report.page_created else "page exists"
        self.stdout.write(f"{report.region.code} {report.region.name}: {page_note} ({report.page.url_path})")
        failed = 0
        for outcome in report.officers:
            account = "account created" if outcome.created else "account exists"
            self.stdout.write(f"  {outcome.email}: {account}; {outcome.note}")
            failed += outcome.created and not outcome.invited
        if failed:
            raise CommandError(f"{failed} invitation(s) not sent; the accounts exist: run again with --resend")
