import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from desadevisa.operations.demo import demo_accounts, demo_load
from desadevisa.operations.embedded import (
    database_is_empty,
    gunicorn_command,
    port_is_free,
    reference_is_loaded,
)
from desadevisa.operations.reference import reference_load


class Command(BaseCommand):
    help = (
        "Prepare the database (migrations, reference data, the demo on an empty database), "
        "collect static files and serve the product with gunicorn and a background-task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (8000).")
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (127.0.0.1).")
        parser.add_argument(
            "--workers", type=int, default=2, help="Number of server processes (2)."
        )

    def handle(self, *args, port, host, workers, **options):
        if not port_is_free(host=host, port=port):
            raise CommandError(
                _(
                    "Port %(port)s on %(host)s is already in use: stop the program using it "
                    "or choose another port with --port."
                )
                % {"port": port, "host": host}
            )
        connection.ensure_connection()
        self.stdout.write(_("Applying database migrations…"))
        call_command("migrate", interactive=False, verbosity=0)
        if not reference_is_loaded():
            self.stdout.write(_("Loading reference data (regions, HS codes, countries)…"))
            reference_load()
        if database_is_empty():
            self.stdout.write(_("Loading the demonstration data…"))
            demo_load()
        call_command("collectstatic", interactive=False, verbosity=0)
        self._print_accounts()
        connection.close()
        self.stdout.write(
            self.style.SUCCESS(
                _("Serving on http://%(host)s:%(port)s/ (Ctrl-C stops).")
                % {"host": host, "port": port}
            )
        )
        self.stdout.flush()
        # Links in QR codes, cards and e-mails name the address served, unless SITE_URL says.
        os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
        gunicorn = gunicorn_command(host=host, port=port, workers=workers, task_worker=True)
        # exec: gunicorn becomes this process, so Ctrl-C reaches its master and stops it cleanly.
        os.execv(sys.executable, gunicorn)  # noqa: S606

    def _print_accounts(self):
        accounts = demo_accounts()
        if not accounts:
            return
        self.stdout.write("\n" + _("Demonstration accounts (demonstration data only):"))
        width = max(len(account.username) for account in accounts)
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.role}"
                + (f" — {account.scope}" if account.scope else "")
            )
        self.stdout.write("  " + _("password for all: %s") % accounts[0].password)
        self.stdout.write(
            "  "
            + _("two-factor code: `desadevisa otp USERNAME`, e.g. `desadevisa otp demo-jatim`")
            + "\n"
        )
