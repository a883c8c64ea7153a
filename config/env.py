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


def cache(redis_url: str, data_dir: Path) -> dict:
    """Django's default CACHES entry: Redis at ``redis_url``, or files in the data directory."""
    if not redis_url:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(data_dir / "cache"),
        }
    timeout = env_int("REDIS_SOCKET_TIMEOUT_MS", 500) / 1000
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "desadevisa"),
        # Every key expires: entries written without a timeout of their own last five minutes.
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
    }


def file_storage(bucket: str) -> dict:
    """Django's default STORAGES entry: MEDIA_ROOT on disk, or the private bucket ``bucket``.

    The bucket is private: objects are written without an ACL (the bucket's own, private, applies)
    and never linked to; every file reaches people through a view that checks their scope and
    streams it. A bucket that does not answer is an error within seconds, not a hung request.
    """
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    from botocore.config import Config

    addressing = env_str("S3_ADDRESSING_STYLE", "auto")
    if addressing not in {"auto", "path", "virtual"}:
        raise ImproperlyConfigured(
            f"S3_ADDRESSING_STYLE must be auto, path or virtual, not {addressing!r}."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            # Files read for a response spool to disk past this size instead of filling memory.
            "max_memory_size": 2_621_440,
            "client_config": Config(
                s3={"addressing_style": addressing},
                signature_version="s3v4",
                connect_timeout=env_int("S3_CONNECT_TIMEOUT", 3),
                read_timeout=env_int("S3_READ_TIMEOUT", 20),
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }
