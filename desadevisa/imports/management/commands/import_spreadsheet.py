"""``desadevisa import_spreadsheet KIND FILE --user USERNAME [--dry-run]``: import a CSV or
XLSX file as a person would from the import page, with the same checks and scope, all or
nothing, and a progress line on a terminal. Prints the counts and the time it took.

Without ``--dry-run`` the file is read once: applying checks every row inside its
transaction (``import_apply``), so a check beforehand would only repeat it; a bad row
rolls everything back and the errors are printed as a dry run prints them."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.formats import number_format

from desadevisa.accounts.models import User
from desadevisa.imports.engine import Report, import_run
from desadevisa.imports.models import ImportKind
from desadevisa.imports.permissions import import_kind_allowed
from desadevisa.imports.reading import ImportFileError
from desadevisa.imports.services import ImportRejected, import_apply


class Command(BaseCommand):
    # The project's configuration checks (URLs, templates, security settings) say nothing
    # about a file, and loading everything they inspect took a second of each import;
    # ``desadevisa check`` runs them.
    requires_system_checks: list[str] = []
    help = (
        "Import a CSV or XLSX file of craft units, memberships, products or export shipments "
        "as USERNAME would: checked and applied in one transaction (nothing is written when "
        "a row is bad). --dry-run only checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="The person the import is done as.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--language", default="en", choices=("en", "id"), help="Language of the messages."
        )

    def handle(self, *args, kind, file, user, dry_run, language, **options):
        person = User.objects.filter(username=user, is_active=True).first()
        if person is None:
            raise CommandError(f"No active account named {user!r}.")
        if not import_kind_allowed(user=person, kind=kind):
            raise CommandError(f"{user} may not import {kind}.")
        progress = _ProgressLine(self.stdout) if self.stdout.isatty() else None
        with translation.override(language):
            started = time.monotonic()
            try:
                if dry_run:
                    report = import_run(
                        kind=kind, path=file, user=person, language=language, progress=progress
                    )
                else:
                    report = import_apply(
                        kind=kind, path=file, actor=person, language=language, progress=progress
                    )
            except ImportFileError as error:
                raise CommandError(str(error)) from error
            except ImportRejected as rejected:
                report = rejected.report
            seconds = time.monotonic() - started
            if report.error_count:
                self._summary("Checked", report, seconds, progress)
                self._errors(report)
                raise CommandError(f"{report.error_count} errors: nothing was written.")
            self._summary(
                "Checked" if dry_run else "Checked and applied", report, seconds, progress
            )

    def _summary(self, step: str, report: Report, seconds: float, progress) -> None:
        if progress is not None:
            progress.show("")
        rate = report.rows / seconds if seconds else 0
        self.stdout.write(
            f"{step} {report.rows} rows in {seconds:.1f} s ({rate:,.0f} rows/s): "
            f"{report.to_create} to create, {report.to_update} to update, "
            f"{report.unchanged} unchanged, {report.error_count} errors."
        )

    def _errors(self, report: Report) -> None:
        for error in report.errors[:50]:
            self.stderr.write(f"row {error['row']}, {error['column']}: {error['message']}")
        if report.error_count > 50:
            self.stderr.write(f"… and {report.error_count - 50} more.")


class _ProgressLine:
    def __init__(self, out) -> None:
        self.out = out
        self.width = 0

    def __call__(self, report: Report) -> None:
        total = max(report.estimated_rows, report.rows, 1)
        self.show(
            f"{number_format(report.rows, force_grouping=True)} / "
            f"{number_format(total, force_grouping=True)} rows ({100 * report.rows // total}%)"
        )

    def show(self, text: str) -> None:
        self.out.write(f"\r{text.ljust(self.width)}\r{text}", ending="")
        self.out.flush()
        self.width = len(text)
