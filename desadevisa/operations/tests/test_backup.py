"""Backups and restores, on the suite's database: a round trip, and every refusal."""

import contextlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from conftest import skip_or_fail_on_ci
from desadevisa.operations.backups import (
    BackupError,
    backup_create,
    backup_restore,
    backup_verify,
    database_for,
)
from desadevisa.operations.backups.postgres import PostgreSQLDatabase
from desadevisa.operations.demo import demo_load
from desadevisa.operations.tests.test_demo import reference  # noqa: F401 - a fixture
from desadevisa.regions.models import Province
from desadevisa.regions.tests.factories import ProvinceFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESADEVISA = str(Path(sys.executable).with_name("desadevisa"))


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English, the language of the source strings."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def target(tmp_path):
    """The settings of a second, empty database on the suite's server, dropped afterwards."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield {**source, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{source['NAME']}_restored"
    server = PostgreSQLDatabase({**source, "NAME": "postgres"}).params
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**source, "NAME": name}
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def target_storage(tmp_path):
    return FileSystemStorage(location=tmp_path / "restored-media")


@pytest.fixture
def small_set():
    """Two provinces and two uploaded files: enough for every refusal."""
    ProvinceFactory(code="35", name="Jawa Timur")
    ProvinceFactory(code="51", name="Bali")
    default_storage.save("photos/drum.jpg", ContentFile(b"\xff\xd8" + os.urandom(20_000)))
    default_storage.save("documents/peb.pdf", ContentFile(b"%PDF-1.7 export declaration"))


@pytest.fixture
def archive(small_set, tmp_path):
    return backup_create(directory=tmp_path / "backups").path


@contextlib.contextmanager
def target_connection(target):
    """A plain connection to the target database, outside Django."""
    if target["ENGINE"].endswith("sqlite3"):
        with contextlib.closing(sqlite3.connect(target["NAME"])) as plain:
            yield plain
            plain.commit()
    else:
        with psycopg.connect(**PostgreSQLDatabase(target).params) as plain:
            yield plain


def stored_files(storage) -> dict[str, bytes]:
    from desadevisa.operations.backups.media import media_names

    return {name: storage.open(name).read() for name in media_names(storage)}


def manifest_rewrite(path: Path, change) -> None:
    """Rewrite an archive with its manifest changed, every other member as it was."""
    with tarfile.open(path) as tar:
        members = [(member, tar.extractfile(member).read()) for member in tar.getmembers()]
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for member, data in members:
            if member.name == "manifest.json":
                document = json.loads(data)
                change(document)
                data = json.dumps(document).encode()
                member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def restore_fails(archive, target, storage) -> str:
    with pytest.raises(BackupError) as raised:
        backup_restore(archive=archive, database=target, storage=storage)
    return str(raised.value)


def target_is_empty(target, storage) -> bool:
    return database_for(target).table_names() == [] and stored_files(storage) == {}


# The round trip ---------------------------------------------------------------------------------


def test_a_restore_reproduces_every_table_and_file_of_the_demo(
    reference,  # noqa: F811 - the fixture imported above
    tmp_path,
    target,
    target_storage,
):
    demo_load()
    backup = backup_create(directory=tmp_path / "backups")

    manifest = backup_restore(archive=backup.path, database=target, storage=target_storage)

    assert database_for(target).state().tables == database_for().state().tables
    assert manifest.state.tables["catalog_product"].rows > 0
    assert backup_verify(manifest=manifest, database=target) == []
    files = stored_files(target_storage)
    assert files == stored_files(default_storage)
    assert len(files) == len(manifest.media) > 0


def test_the_verification_sees_one_row_changed_after_a_restore(archive, target, target_storage):
    manifest = backup_restore(archive=archive, database=target, storage=target_storage)
    assert backup_verify(manifest=manifest, database=target) == []

    with target_connection(target) as plain:
        plain.execute("UPDATE regions_province SET name = 'Bali Utara' WHERE code = '51'")

    assert backup_verify(manifest=manifest, database=target) == ["regions_province"]


def test_a_restore_whose_data_differs_from_the_manifest_changes_nothing(
    archive, target, target_storage
):
    def one_row_more(document):
        document["tables"]["regions_province"]["rows"] += 1

    manifest_rewrite(archive, one_row_more)

    message = restore_fails(archive, target, target_storage)

    assert message == (
        "The restored database does not match the backup's manifest (table regions_province); "
        "nothing was changed."
    )
    assert target_is_empty(target, target_storage)


def test_rows_written_while_the_backup_runs_are_neither_dumped_nor_counted(
    small_set, tmp_path, target, target_storage
):
    def write_meanwhile(stage, done, total):
        if stage == "tables" and done == 0 and not Province.objects.filter(code="52").exists():
            ProvinceFactory(code="52", name="Nusa Tenggara Barat")

    backup = backup_create(directory=tmp_path / "backups", progress=write_meanwhile)
    manifest = backup_restore(archive=backup.path, database=target, storage=target_storage)

    assert Province.objects.filter(code="52").exists()
    assert manifest.state.tables["regions_province"].rows == 2
    assert backup_verify(manifest=manifest, database=target) == []


def test_a_migrated_empty_database_is_restored_into(tmp_path, target, target_storage):
    empty = backup_create(directory=tmp_path / "empty").path
    backup_restore(archive=empty, database=target, storage=target_storage)
    ProvinceFactory(code="35", name="Jawa Timur")
    default_storage.save("photos/drum.jpg", ContentFile(b"drum"))
    backup = backup_create(directory=tmp_path / "backups")

    manifest = backup_restore(archive=backup.path, database=target, storage=target_storage)

    assert backup_verify(manifest=manifest, database=target) == []
    assert stored_files(target_storage) == {"photos/drum.jpg": b"drum"}


# The archive ------------------------------------------------------------------------------------


def test_the_archive_holds_the_database_every_file_and_a_manifest(archive):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())

    assert archive.stat().st_mode & 0o777 == 0o600
    assert names[-1] == "manifest.json"
    assert sorted(names[1:-1]) == ["media/documents/peb.pdf", "media/photos/drum.jpg"]
    assert manifest["format"] == 1
    assert manifest["product_version"] == "0.1.0"
    assert manifest["database"]["vendor"] == connection.vendor
    assert ["regions", "0001_initial"] in manifest["migrations"]
    assert manifest["tables"]["regions_province"]["rows"] == 2
    assert len(manifest["tables"]["regions_province"]["sha256"]) == 64
    assert {file["name"]: file["size"] for file in manifest["media"]} == {
        "documents/peb.pdf": 27,
        "photos/drum.jpg": 20_002,
    }


def test_the_command_names_the_archive_and_draws_no_progress_when_not_on_a_terminal(
    small_set, tmp_path
):
    out = io.StringIO()

    call_command("backup", "--to", str(tmp_path / "backups"), stdout=out)

    (written,) = (tmp_path / "backups").iterdir()
    assert out.getvalue().startswith(f"Backup written to {written} (")
    assert out.getvalue().endswith(" rows, 2 files.\n")
    assert "\r" not in out.getvalue()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_draws_its_progress_on_a_terminal_and_clears_it(small_set, tmp_path):
    out = Terminal()

    call_command("backup", "--to", str(tmp_path / "backups"), stdout=out)

    progress, _, summary = out.getvalue().rpartition("\r")
    assert "Counting and checking tables: " in progress
    assert "Files: 2 / 2 (100%)" in progress
    assert summary.startswith("Backup written to ")


def test_an_interrupted_backup_leaves_nothing_behind(small_set, tmp_path):
    def interrupt(stage, done, total):
        if stage == "files" and done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backup_create(directory=tmp_path / "backups", progress=interrupt)

    assert list((tmp_path / "backups").iterdir()) == []


# Refusals ---------------------------------------------------------------------------------------


def test_an_archive_cut_short_is_refused(archive, target, target_storage):
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    message = restore_fails(archive, target, target_storage)

    assert message == (
        f"{archive} is damaged or not a Desa Devisa backup (it was cut short); nothing was changed."
    )
    assert target_is_empty(target, target_storage)


def test_an_archive_with_one_byte_changed_is_refused(archive, target, target_storage):
    with tarfile.open(archive) as tar:
        member = tar.getmembers()[0]
    data = bytearray(archive.read_bytes())
    data[member.offset_data + member.size // 2] ^= 0xFF
    archive.write_bytes(bytes(data))

    message = restore_fails(archive, target, target_storage)

    assert message == (
        f"{archive} is damaged or not a Desa Devisa backup ({member.name} does not match its "
        "checksum); nothing was changed."
    )
    assert target_is_empty(target, target_storage)


def test_an_archive_of_a_newer_format_is_refused(archive, target, target_storage):
    def newer(document):
        document["format"] = 2
        document["product_version"] = "9.0.0"

    manifest_rewrite(archive, newer)

    message = restore_fails(archive, target, target_storage)

    assert message == (
        f"{archive} was written by a newer version of Desa Devisa (9.0.0, archive format 2; "
        "this version reads format 1): restore it with that version. Nothing was changed."
    )
    assert target_is_empty(target, target_storage)


def test_an_archive_of_the_other_kind_of_database_is_refused(archive, target, target_storage):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

    def other_vendor(document):
        document["database"]["vendor"] = other

    manifest_rewrite(archive, other_vendor)

    message = restore_fails(archive, target, target_storage)

    assert message == (
        f"{archive} is a backup of a {names[other]} database and restores only into "
        f"{names[other]}; this installation uses {names[connection.vendor]}. Nothing was changed."
    )


def test_an_archive_with_migrations_this_version_lacks_is_refused(archive, target, target_storage):
    def future_migration(document):
        document["migrations"].append(["regions", "0099_future"])
        document["product_version"] = "0.2.0"

    manifest_rewrite(archive, future_migration)

    message = restore_fails(archive, target, target_storage)

    assert message == (
        f"{archive} holds migrations this version of Desa Devisa does not have "
        "(regions.0099_future): restore it with the version that made it (0.2.0). "
        "Nothing was changed."
    )
    assert target_is_empty(target, target_storage)


def test_a_missing_archive_is_refused(tmp_path, target, target_storage):
    message = restore_fails(tmp_path / "nowhere.tar", target, target_storage)

    assert message == f"There is no backup archive at {tmp_path / 'nowhere.tar'}."


def test_a_database_holding_data_is_refused(archive, target, target_storage, tmp_path):
    backup_restore(archive=archive, database=target, storage=target_storage)
    state = database_for(target).state()

    message = restore_fails(archive, target, FileSystemStorage(location=tmp_path / "other"))

    assert message == (
        "The database is not empty: it holds data in regions_province. Restore into a new, "
        "empty database; nothing was changed."
    )
    assert database_for(target).state() == state


def test_a_database_with_a_table_of_its_own_is_refused(archive, target, target_storage):
    with target_connection(target) as plain:
        plain.execute("CREATE TABLE legacy_villages (code text)")

    message = restore_fails(archive, target, target_storage)

    assert message == (
        "The database is not empty: it has tables Desa Devisa does not create "
        "(legacy_villages). Restore into a new, empty database; nothing was changed."
    )


def test_a_storage_holding_files_is_refused(archive, target, target_storage):
    target_storage.save("photos/left-over.jpg", ContentFile(b"old"))

    message = restore_fails(archive, target, target_storage)

    assert message == (
        "The file storage is not empty: it holds photos/left-over.jpg. Restore into an empty "
        "storage; nothing was changed."
    )
    assert database_for(target).table_names() == []


def test_a_backup_to_a_file_is_refused(small_set, tmp_path):
    not_a_directory = tmp_path / "notes.txt"
    not_a_directory.write_text("notes")

    with pytest.raises(CommandError) as raised:
        call_command("backup", "--to", str(not_a_directory))

    assert str(raised.value) == (
        f"{not_a_directory} is not a directory: --to names the directory the backup is written to."
    )


@contextlib.contextmanager
def tmpfs(directory: Path, *options: str):
    if os.geteuid() != 0:
        skip_or_fail_on_ci("mounting a small file system needs root")
    directory.mkdir()
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mount.returncode != 0:
        skip_or_fail_on_ci(f"a tmpfs cannot be mounted here: {mount.stderr.strip()}")
    try:
        yield directory
    finally:
        subprocess.run(["umount", str(directory)], check=True)


def test_a_backup_to_a_full_disk_leaves_nothing_behind(small_set, tmp_path):
    with tmpfs(tmp_path / "small", "size=64k") as small:
        with pytest.raises(BackupError) as raised:
            backup_create(directory=small)

        assert str(raised.value) == (
            f"The backup could not be written to {small} (No space left on device); nothing "
            "was left there."
        )
        assert list(small.iterdir()) == []


def test_a_backup_to_a_read_only_directory_is_refused(small_set, tmp_path):
    with tmpfs(tmp_path / "read-only", "ro") as read_only:
        with pytest.raises(BackupError) as raised:
            backup_create(directory=read_only)

        assert str(raised.value) == (
            f"The backup could not be written to {read_only} (Read-only file system); nothing "
            "was left there."
        )


def test_a_restore_whose_files_cannot_be_written_changes_nothing(archive, target, tmp_path):
    with tmpfs(tmp_path / "small", "size=8k") as small:
        storage = FileSystemStorage(location=small)

        message = restore_fails(archive, target, storage)

        assert message == "The restore failed (No space left on device); nothing was changed."
        assert target_is_empty(target, storage)


# The console script -----------------------------------------------------------------------------


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": "",
        "LANGUAGE_CODE": "en",
    }
    return subprocess.run(
        [DESADEVISA, *args], env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_console_script_refuses_a_missing_archive_in_one_line(tmp_path):
    result = run("restore", str(tmp_path / "nowhere.tar"), data_dir=tmp_path)

    assert result.returncode == 1
    assert result.stderr == (
        f"CommandError: There is no backup archive at {tmp_path / 'nowhere.tar'}.\n"
    )


def test_the_console_script_refuses_a_backup_to_a_file_in_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("notes")

    result = run("backup", "--to", str(tmp_path / "notes.txt"), data_dir=tmp_path)

    assert result.returncode == 1
    assert result.stderr == (
        f"CommandError: {tmp_path / 'notes.txt'} is not a directory: --to names the directory "
        "the backup is written to.\n"
    )
