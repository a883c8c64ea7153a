"""Load all reference data the product ships with: regions, countries and HS codes."""

from pathlib import Path

from django.db import transaction

from desadevisa.catalog.reference import HS_DATA_FILE, hs_codes_load, hs_codes_parse
from desadevisa.regions.services import (
    REGIONS_DATA_DIR,
    Progress,
    TableLoad,
    countries_load,
    regions_load,
    regions_parse,
)


def reference_load(
    *,
    regions_dir: Path = REGIONS_DATA_DIR,
    hs_file: Path = HS_DATA_FILE,
    progress: Progress | None = None,
) -> list[TableLoad]:
    """Bring the reference tables in line with the files; running it again changes nothing.

    Every file is read and checked before anything is written, and the writes share one
    transaction: a ReferenceFileError (naming the file and line) leaves the database as it was.
    Returns what happened to each table, in the order written.
    """
    regions = regions_parse(directory=regions_dir)
    hs_codes = hs_codes_parse(path=hs_file)
    with transaction.atomic():
        return [
            *regions_load(regions=regions, progress=progress),
            countries_load(progress=progress),
            hs_codes_load(rows=hs_codes, progress=progress),
        ]
