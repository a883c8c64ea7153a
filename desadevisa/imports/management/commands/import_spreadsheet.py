"""``desadevisa import_spreadsheet KIND FILE --user USERNAME [--dry-run]``: import a CSV or
XLSX file as a person would from the import page, with the same checks and scope, all or
nothing, and a progress line on a terminal. Prints the counts and the time it took.

Without ``--dry-run`` the file is read once: applying checks every row inside its
transaction (``import_apply``), so a check beforehand would only repeat it; a bad row
rolls everything back and the errors are printed as a dry run prints them.

A bad argument (an unknown kind, user or language, a file that is missing or cannot be
read or imported as a whole) ends in one line on standard error and exit status 2; bad rows
end in their list and exit status 1."""

import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from desadevisa.accounts.models import User
from desadevisa.imports.engine import Report, import_run
from desadevisa.imports.models import ImportKind
from desadevisa.imports.permissions import import_kind_allowed
from desadevisa.imports.reading import ImportFileError
from desadevisa.imports.services import ImportRejected, import_apply

LANGUAGES = ("en", "id")


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
        # Kind and language are checked in ``handle``: argparse's refusal adds a usage line.
        parser.add_argument("kind", help=f"One of: {', '.join(ImportKind.values)}.")
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="The person the import is done as.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--language",
            default="en",
            help=f"Language of the messages: {', '.join(LANGUAGES)}.",
        )

    def handle(self, *args, kind, file, user, dry_run, language, **options):
        if language not in LANGUAGES:
            raise _refusal(f"Unknown language {language!r}: choose one of {', '.join(LANGUAGES)}.")
        with translation.override(language):
            person = _arguments_check(kind=kind, path=file, username=user)
            self._import(kind=kind, path=file, person=person, dry_run=dry_run, language=language)

    def _import(self, *, kind, path, person, dry_run, language):
        progress = _ProgressLine(self.stdout) if self.stdout.isatty() else None
        started = time.monotonic()
        try:
            if dry_run:
                report = import_run(
                    kind=kind, path=path, user=person, language=language, progress=progress
                )
            else:
                report = import_apply(
                    kind=kind, path=path, actor=person, language=language, progress=progress
                )
        except ImportFileError as error:
            raise _refusal(str(error)) from error
        except ImportRejected as rejected:
            report = rejected.report
        seconds = time.monotonic() - started
        if report.error_count:
            self._summary("Checked", report, seconds, progress)
            self._errors(report)
            raise CommandError(f"{report.error_count} errors: nothing was written.")
        self._summary("Checked" if dry_run else "Checked and applied", report, seconds, progress)

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


def _refusal(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _arguments_check(*, kind: str, path: str, username: str) -> User:
    """The person to import as, once the kind, the file and the person are usable; else a
    refusal naming the first bad argument."""
    if kind not in ImportKind.values:
        raise _refusal(
            gettext("Unknown kind %(kind)s: choose one of %(kinds)s.")
            % {"kind": repr(kind), "kinds": ", ".join(ImportKind.values)}
        )
    file = Path(path)
    if file.is_dir():
        raise _refusal(gettext("%(path)s is a folder, not a file.") % {"path": path})
    if not file.is_file():
        raise _refusal(gettext("There is no file %(path)s.") % {"path": path})
    if not os.access(file, os.R_OK):
        raise _refusal(gettext("The file %(path)s cannot be read.") % {"path": path})
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise _refusal(gettext("No active account is named %(name)s.") % {"name": repr(username)})
    if not import_kind_allowed(user=person, kind=kind):
        raise _refusal(
            gettext("%(name)s may not import %(kind)s.") % {"name": username, "kind": kind}
        )
    return person


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
