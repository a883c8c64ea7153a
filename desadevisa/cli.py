"""The ``desadevisa`` console script: a thin front for the project's management commands.

``desadevisa load-reference`` runs the ``load_reference`` command; configuration and database
problems end in one clear line on standard error instead of a traceback.
"""

import os
import sys

SETTINGS_MODULE = "config.settings.base"


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__


def manage(argv: list[str]) -> int:
    """Run a management command, as ``manage.py`` does, with the product's error handling."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    program = os.path.basename(argv[0])
    try:
        # Settings are read here: a bad DATABASE_URL or variable fails now, in one line.
        django.setup()
    except ImproperlyConfigured as error:
        sys.stderr.write(f"{program}: {_first_line(error)}\n")
        return 2
    try:
        execute_from_command_line(argv)
    except OperationalError as error:
        sys.stderr.write(f"{program}: the database cannot be reached: {_first_line(error)}\n")
        return 2
    return 0


def main() -> int:
    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    return manage(["desadevisa", *args])


if __name__ == "__main__":
    sys.exit(main())
