"""What django-axes counts sign-in failures under (``AXES_USERNAME_CALLABLE``)."""

# The length of django-axes' username columns.
USERNAME_LIMIT = 255


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The username typed, cut to what django-axes' tables hold: a username longer than any
    account's is refused by the sign-in form, and its failure is still counted."""
    source = credentials if credentials is not None else getattr(request, "POST", {})
    username = source.get("username")
    return username[:USERNAME_LIMIT] if isinstance(username, str) else username
