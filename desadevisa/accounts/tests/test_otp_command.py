import re

import pytest
from django.core.management import CommandError, call_command

from desadevisa.accounts.services import otp_device_verify
from desadevisa.accounts.tests.factories import UserFactory
from desadevisa.accounts.tests.helpers import confirmed_device


def test_the_command_prints_the_current_code_of_a_demo_account(db, capsys):
    user = UserFactory(username="demo-jatim", is_demo=True)
    device = confirmed_device(user)

    call_command("otp", "demo-jatim")

    output = capsys.readouterr().out
    assert re.fullmatch(r"\d{6} \(valid for \d+ more seconds\)\n", output)
    assert otp_device_verify(device=device, code=output[:6]) is not None


def test_the_command_refuses_an_account_that_is_not_a_demo_account(db):
    confirmed_device(UserFactory(username="siti"))

    with pytest.raises(CommandError) as error:
        call_command("otp", "siti")

    assert str(error.value) == (
        "siti is not a demonstration account: codes are printed only for demonstration accounts."
    )


def test_the_command_refuses_a_demo_account_without_a_device(db):
    UserFactory(username="demo-verifier", is_demo=True)

    with pytest.raises(CommandError) as error:
        call_command("otp", "demo-verifier")

    assert str(error.value) == (
        "demo-verifier has no two-factor device: run `desadevisa demo` to give every "
        "demonstration account one."
    )


def test_the_command_refuses_an_unknown_account(db):
    with pytest.raises(CommandError) as error:
        call_command("otp", "nobody")

    assert str(error.value) == "There is no account nobody."
