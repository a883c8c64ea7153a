import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import cache, database, env_bool, env_int, env_list, file_storage, secret_key


def test_env_bool_reads_common_words(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")

    assert env_bool("FLAG") is True


def test_env_bool_refuses_an_unknown_word(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match=r"FLAG must be true or false, not 'maybe'\."):
        env_bool("FLAG")


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("PORT_NUMBER", "eighty")

    with pytest.raises(ImproperlyConfigured, match="PORT_NUMBER must be a whole number"):
        env_int("PORT_NUMBER", 80)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")

    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    first = secret_key(tmp_path)
    second = secret_key(tmp_path)

    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")

    assert secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_empty_database_url_means_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    config = database("", tmp_path)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "desadevisa.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] > 0


def test_postgres_database_url_is_parsed(tmp_path):
    config = database("postgres://user:secret@db.example:5433/desadevisa", tmp_path)

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 5433, "desadevisa")


def test_postgres_binds_parameters_on_the_server_and_prepares_repeated_statements(tmp_path):
    config = database("postgres://user:secret@db.example:5433/desadevisa", tmp_path)

    assert config["OPTIONS"]["server_side_binding"] is True
    assert config["OPTIONS"]["prepare_threshold"] == 5


def test_prepared_statements_can_be_turned_off_for_a_pooler(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")

    config = database("postgres://user:secret@db.example:5433/desadevisa", tmp_path)

    assert config["OPTIONS"]["prepare_threshold"] is None


def test_options_of_the_database_url_are_kept(tmp_path):
    config = database("postgres://user:secret@db.example/desadevisa?sslmode=require", tmp_path)

    assert config["OPTIONS"]["sslmode"] == "require"
    assert config["OPTIONS"]["server_side_binding"] is True


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://user@db/desadevisa", "DATABASE_URL must be a postgres:// or sqlite:// address"),
        ("nonsense", "DATABASE_URL is not usable"),
    ],
)
def test_unusable_database_url_is_refused_in_one_line(tmp_path, url, message):
    with pytest.raises(ImproperlyConfigured) as error:
        database(url, tmp_path)

    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_without_redis_the_cache_is_files_in_the_data_directory(tmp_path):
    assert cache("", tmp_path) == {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "cache"),
    }


def test_redis_keys_are_prefixed_and_expire(tmp_path, monkeypatch):
    monkeypatch.setenv("CACHE_KEY_PREFIX", "desadevisa-staging")

    config = cache("redis://cache.internal:6379/0", tmp_path)

    assert (config["KEY_PREFIX"], config["TIMEOUT"]) == ("desadevisa-staging", 300)
    assert config["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def test_the_bucket_is_private_and_never_linked_to(monkeypatch):
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://s3.example.net")
    monkeypatch.setenv("S3_ADDRESSING_STYLE", "path")

    options = file_storage("desadevisa-uploads")["OPTIONS"]

    assert options["bucket_name"] == "desadevisa-uploads"
    assert options["endpoint_url"] == "https://s3.example.net"
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False
    assert options["client_config"].s3 == {"addressing_style": "path"}


def test_an_unknown_addressing_style_is_refused(monkeypatch):
    monkeypatch.setenv("S3_ADDRESSING_STYLE", "sideways")

    with pytest.raises(ImproperlyConfigured) as refused:
        file_storage("desadevisa-uploads")

    assert (
        str(refused.value) == "S3_ADDRESSING_STYLE must be auto, path or virtual, not 'sideways'."
    )


def test_without_a_bucket_files_stay_on_disk():
    assert file_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
