"""The ``otp`` command (``desadevisa otp USERNAME``): the current sign-in code of a demo account."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext
from django_otp.oath import TOTP

from desadevisa.accounts.models import User
from desadevisa.accounts.selectors import otp_device_get
from desadevisa.core.bounds import text_argument


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a demonstration account (demo-admin, demo-jatim, "
        "...). Refuses every other account: their codes belong on their owners' phones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "username", type=text_argument, help="A demonstration account, e.g. demo-jatim."
        )

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        """Print the code and how many seconds it stays valid."""
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                gettext("There is no account %(username)s.") % {"username": username}
            )
        if not user.is_demo:
            raise CommandError(
                gettext(
                    "%(username)s is not a demonstration account: codes are printed only for "
                    "demonstration accounts."
                )
                % {"username": username}
            )
        device = otp_device_get(user=user)
        if device is None:
            raise CommandError(
                gettext(
                    "%(username)s has no two-factor device: run `desadevisa demo` to give every "
                    "demonstration account one."
                )
                % {"username": username}
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        totp.time = now
        code = f"{totp.token():0{device.digits}d}"
        remaining = device.step - int(now - device.t0) % device.step
        self.stdout.write(
            gettext("%(code)s (valid for %(seconds)s more seconds)")
            % {"code": code, "seconds": remaining}
        )
