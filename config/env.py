"""Read configuration from the environment: the only source of settings."""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def secret_key(data_dir: Path) -> str:
    """SECRET_KEY from the environment, or one generated once and kept in the data directory."""
    value = os.environ.get("SECRET_KEY")
    if value:
        return value
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    partial = key_file.with_suffix(f".{os.getpid()}")
    # Owner-only permissions from the start; the rename makes the file appear whole, and when
    # several processes start at once the first rename wins and all read the same key.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    try:
        os.link(partial, key_file)
    except FileExistsError:
        pass
    finally:
        partial.unlink()
    return key_file.read_text().strip()


def database(url: str, data_dir: Path) -> dict:
    """Django's DATABASES entry for DATABASE_URL; empty means the embedded SQLite file."""
    import dj_database_url

    if not url:
        url = f"sqlite:///{data_dir / 'desadevisa.sqlite3'}"
    try:
        config = dj_database_url.parse(url)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not usable: {error}") from None
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # SELECT ... FOR UPDATE is a no-op on SQLite: IMMEDIATE makes every transaction take
            # the write lock at BEGIN, so read-check-write sequences cannot interleave.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA cache_size=-64000;"
            ),
        }
    elif engine == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        # Parameters travel apart from the statement, so a statement run a fifth time on the
        # same connection is prepared and no longer planned: the pages' joins cost their
        # planning on every request otherwise. A pooler in transaction mode cannot keep
        # prepared statements: DATABASE_PREPARED_STATEMENTS=false then.
        prepared = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)
        config["OPTIONS"] = {
            "server_side_binding": True,
            "prepare_threshold": 5 if prepared else None,
            **config.get("OPTIONS", {}),
        }
    else:
        vendor = engine.rsplit(".", 1)[-1]
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// or sqlite:// address, not {vendor}."
        )
    return config
