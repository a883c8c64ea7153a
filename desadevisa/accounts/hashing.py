"""Secrets handed out in links and to API clients: drawn at random, stored only as a hash."""

import hashlib
import secrets


def secret_new() -> str:
    """A new URL-safe secret of 256 random bits."""
    return secrets.token_urlsafe(32)


def secret_hash(raw: str) -> str:
    """The SHA-256 of ``raw`` in hex: what is stored and looked up instead of the secret.

    A fast hash is enough: the secrets are random, so there is no dictionary to try against.
    """
    return hashlib.sha256(raw.encode()).hexdigest()
