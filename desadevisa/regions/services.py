"""Load the reference data of the regions app: administrative regions and countries.

Loading runs in two steps so that a bad file never leaves a partial load behind: the ``*_parse``
functions read and check whole files without touching the database, then the ``*_load``
functions write, inside one transaction, only the rows that differ from what is stored.
``reference_table_sync`` and ``ReferenceFileError`` serve every app that ships reference data.
"""

import csv
import gettext
import gzip
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import pycountry
from django.db import models, transaction
from django.utils.translation import gettext as _

from desadevisa.regions.models import (
    DISTRICT_CODE,
    PROVINCE_CODE,
    REGENCY_CODE,
    VILLAGE_CODE,
    Country,
    District,
    Province,
    Regency,
    Village,
    search_key,
)

REGIONS_DATA_DIR = Path(__file__).resolve().parent / "data"
REGION_HEADER = ("code", "parent_code", "name", "lat", "lng")
REGION_NAME_MAX_LENGTH = 100
COORDINATE_PLACES = Decimal("0.000001")
# Indonesia's extent with a margin: a point outside is a swapped or mistyped coordinate.
LATITUDE_RANGE = (Decimal(-12), Decimal(7))
LONGITUDE_RANGE = (Decimal(94), Decimal(142))

CREATE_BATCH_SIZE = 2000
UPDATE_BATCH_SIZE = 500
# Rows written between two progress reports.
PROGRESS_STEP = 10_000

# Told (table name, rows done, rows in total) as a table is written.
Progress = Callable[[str, int, int], None]


class ReferenceFileError(Exception):
    """A reference data file is missing or malformed; the message names the file and line."""

    def __init__(self, *, path: Path, problem: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        if line is None:
            message = _("%(file)s: %(problem)s") % {"file": path, "problem": problem}
        else:
            message = _("%(file)s, line %(line)d: %(problem)s") % {
                "file": path,
                "line": line,
                "problem": problem,
            }
        super().__init__(message)


class InvalidRow(ValueError):
    """A row of a reference file breaks a rule; the message says which."""


@dataclass(frozen=True, slots=True)
class TableLoad:
    """What loading one table did: rows created, rows updated, rows found as they were."""

    model: type[models.Model]
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name_plural)


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    parent_code: str
    name: str
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass(frozen=True, slots=True)
class RegionFiles:
    """The four region files, parsed and checked against each other."""

    provinces: list[RegionRow]
    regencies: list[RegionRow]
    districts: list[RegionRow]
    villages: list[RegionRow]


def reference_file_rows(*, path: Path, header: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) for each data row of a UTF-8 CSV file, gzip-compressed or not.

    Raises ReferenceFileError when the file is missing or unreadable, the header differs from
    ``header``, or a row has the wrong number of fields.
    """
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as raw:
            reader = csv.reader(_decoded_lines(raw, path=path), strict=True)
            if next(reader, None) != list(header):
                raise ReferenceFileError(
                    path=path,
                    line=1,
                    problem=_("the header must be “%(header)s”") % {"header": ",".join(header)},
                )
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    raise ReferenceFileError(
                        path=path, line=reader.line_num, problem=str(error)
                    ) from None
                if len(fields) != len(header):
                    raise ReferenceFileError(
                        path=path,
                        line=reader.line_num,
                        problem=_("expected %(expected)d fields, found %(found)d")
                        % {"expected": len(header), "found": len(fields)},
                    )
                yield reader.line_num, fields
    except FileNotFoundError:
        raise ReferenceFileError(path=path, problem=_("the file does not exist")) from None
    except gzip.BadGzipFile:
        raise ReferenceFileError(path=path, problem=_("the file is not gzip-compressed")) from None
    except EOFError:
        raise ReferenceFileError(path=path, problem=_("the file is cut short")) from None
    except OSError as error:
        raise ReferenceFileError(path=path, problem=error.strerror or str(error)) from None


def reference_table_sync(
    *,
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    progress: Progress | None = None,
) -> TableLoad:
    """Make the stored rows of ``model`` equal ``rows``, writing only those that differ.

    ``fields`` name every concrete field by attribute name (``province_id`` for a foreign
    key), the primary key first; each row holds their values in that order. Stored rows missing
    from ``rows`` stay: other records may point to them. Runs in the caller's transaction.
    """
    name = str(model._meta.verbose_name_plural)
    # Building instances from positional values in the model's field order is much faster
    # than from keywords, which matters for tens of thousands of rows.
    positions = [fields.index(field.attname) for field in model._meta.concrete_fields]
    stored = {row[0]: row for row in model.objects.values_list(*fields).iterator(chunk_size=10_000)}
    new = [row for row in rows if row[0] not in stored]
    changed = [row for row in rows if row[0] in stored and stored[row[0]] != row]
    done = len(rows) - len(new) - len(changed)
    load = TableLoad(model=model, created=len(new), updated=len(changed), unchanged=done)
    if progress:
        progress(name, done, len(rows))
    for write, pending in ((_rows_create, new), (_rows_update, changed)):
        for start in range(0, len(pending), PROGRESS_STEP):
            batch = pending[start : start + PROGRESS_STEP]
            write(model, [model(*[row[i] for i in positions]) for row in batch])
            done += len(batch)
            if progress:
                progress(name, done, len(rows))
    return load


def regions_parse(*, directory: Path = REGIONS_DATA_DIR) -> RegionFiles:
    """Read and check the region files of ``directory``, writing nothing.

    Each level is ``<level>.csv.gz`` (or an uncompressed ``<level>.csv``) with the header
    ``code,parent_code,name,lat,lng``. Raises ReferenceFileError on the first bad line: a code
    of the wrong form or seen before, a parent that is not the code's own prefix or is missing
    from the level above, an empty or overlong name, or a coordinate outside Indonesia.
    """
    provinces = _region_file_parse(
        path=_region_file(directory, "provinces"), code_format=PROVINCE_CODE, parents=None
    )
    regencies = _region_file_parse(
        path=_region_file(directory, "regencies"),
        code_format=REGENCY_CODE,
        parents={row.code for row in provinces},
    )
    districts = _region_file_parse(
        path=_region_file(directory, "districts"),
        code_format=DISTRICT_CODE,
        parents={row.code for row in regencies},
    )
    villages = _region_file_parse(
        path=_region_file(directory, "villages"),
        code_format=VILLAGE_CODE,
        parents={row.code for row in districts},
    )
    return RegionFiles(
        provinces=provinces, regencies=regencies, districts=districts, villages=villages
    )


@transaction.atomic
def regions_load(*, regions: RegionFiles, progress: Progress | None = None) -> list[TableLoad]:
    """Store parsed region files: provinces, regencies, districts and villages, in that order."""
    return [
        reference_table_sync(
            model=Province,
            fields=("code", "name", "latitude", "longitude"),
            rows=[(row.code, row.name, row.latitude, row.longitude) for row in regions.provinces],
            progress=progress,
        ),
        reference_table_sync(
            model=Regency,
            fields=("code", "name", "latitude", "longitude", "province_id"),
            rows=[
                (row.code, row.name, row.latitude, row.longitude, row.parent_code)
                for row in regions.regencies
            ],
            progress=progress,
        ),
        reference_table_sync(
            model=District,
            fields=("code", "name", "latitude", "longitude", "regency_id"),
            rows=[
                (row.code, row.name, row.latitude, row.longitude, row.parent_code)
                for row in regions.districts
            ],
            progress=progress,
        ),
        reference_table_sync(
            model=Village,
            fields=(
                "code",
                "name",
                "latitude",
                "longitude",
                "district_id",
                "province_id",
                "search_name",
            ),
            rows=[
                (
                    row.code,
                    row.name,
                    row.latitude,
                    row.longitude,
                    row.parent_code,
                    row.code[:2],
                    search_key(row.name),
                )
                for row in regions.villages
            ],
            progress=progress,
        ),
    ]


@transaction.atomic
def countries_load(*, progress: Progress | None = None) -> TableLoad:
    """Store the ISO 3166-1 countries known to pycountry, named in English and Indonesian.

    The common name is preferred where ISO's is formal ("South Korea", not "Korea, Republic
    of"); a name without an Indonesian translation is used as it is in English.
    """
    indonesian = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=True
    )
    rows = []
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        rows.append((country.alpha_2, country.alpha_3, name, indonesian.gettext(name)))
    return reference_table_sync(
        model=Country, fields=("code", "alpha3", "name_en", "name_id"), rows=rows, progress=progress
    )


def _rows_create(model: type[models.Model], instances: list[models.Model]) -> None:
    model.objects.bulk_create(instances, batch_size=CREATE_BATCH_SIZE)


def _rows_update(model: type[models.Model], instances: list[models.Model]) -> None:
    fields = [field.name for field in model._meta.concrete_fields if not field.primary_key]
    model.objects.bulk_update(instances, fields=fields, batch_size=UPDATE_BATCH_SIZE)


def _decoded_lines(raw: IO[bytes], *, path: Path) -> Iterator[str]:
    # Decoding line by line, not through a text wrapper that reads ahead, lets an encoding error
    # name its own line.
    for number, data in enumerate(raw, start=1):
        try:
            yield data.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise ReferenceFileError(
                path=path, line=number, problem=_("the text is not UTF-8")
            ) from None


def _region_file(directory: Path, level: str) -> Path:
    compressed = directory / f"{level}.csv.gz"
    plain = directory / f"{level}.csv"
    return plain if plain.exists() and not compressed.exists() else compressed


def _region_file_parse(
    *, path: Path, code_format: re.Pattern[str], parents: set[str] | None
) -> list[RegionRow]:
    rows = []
    seen: set[str] = set()
    for line, fields in reference_file_rows(path=path, header=REGION_HEADER):
        try:
            row = _region_row(*fields, code_format=code_format, parents=parents, seen=seen)
        except InvalidRow as error:
            raise ReferenceFileError(path=path, line=line, problem=str(error)) from None
        seen.add(row.code)
        rows.append(row)
    return rows


def _region_row(
    code: str,
    parent_code: str,
    name: str,
    lat: str,
    lng: str,
    *,
    code_format: re.Pattern[str],
    parents: set[str] | None,
    seen: set[str],
) -> RegionRow:
    if not code_format.fullmatch(code):
        raise InvalidRow(_("“%(code)s” is not a code of this level") % {"code": code})
    if code in seen:
        raise InvalidRow(_("the code “%(code)s” appears twice") % {"code": code})
    own_parent = code.rpartition(".")[0]
    if parent_code != own_parent:
        raise InvalidRow(
            _("the parent code of “%(code)s” must be “%(parent)s”")
            % {"code": code, "parent": own_parent}
        )
    if parents is not None and parent_code not in parents:
        raise InvalidRow(
            _("the parent code “%(parent)s” is not in the level above") % {"parent": parent_code}
        )
    name = name.strip()
    if not name or len(name) > REGION_NAME_MAX_LENGTH:
        raise InvalidRow(
            _("the name must have 1 to %(max)d characters") % {"max": REGION_NAME_MAX_LENGTH}
        )
    if not lat and not lng:
        return RegionRow(code, parent_code, name, None, None)
    latitude = _coordinate(lat, LATITUDE_RANGE)
    longitude = _coordinate(lng, LONGITUDE_RANGE)
    if latitude is None or longitude is None:
        raise InvalidRow(
            _("“%(lat)s,%(lng)s” is not a point in Indonesia") % {"lat": lat, "lng": lng}
        )
    return RegionRow(code, parent_code, name, latitude, longitude)


def _coordinate(text: str, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
    """The coordinate in decimal degrees rounded as stored, or None if it is not in bounds."""
    try:
        value = Decimal(text).quantize(COORDINATE_PLACES)
    except InvalidOperation:
        return None
    low, high = bounds
    return value if value.is_finite() and low <= value <= high else None
