"""What a person needs to add their Desa Devisa device to an authenticator app."""

from base64 import b32encode
from urllib.parse import quote, urlencode

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice

# The name authenticator apps show above the code.
ISSUER = "Desa Devisa"


def totp_config_url(device: TOTPDevice) -> str:
    """The otpauth:// address of ``device`` (Google Authenticator's key URI format)."""
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode(),
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The QR code of the device's address as a data: PNG, drawn on the server.

    A data: image needs no script and no inline style, which the content security policy forbids.
    """
    return segno.make(totp_config_url(device), error="m").png_data_uri(scale=5, border=4)


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret to type in by hand, in base32 groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
