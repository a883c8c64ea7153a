"""Small region files in the shipped format, and table snapshots, for tests of the loaders."""

import gzip
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, models

from desadevisa.regions.models import Country, District, Province, Regency, Village

PROVINCES = """\
code,parent_code,name,lat,lng
34,,Daerah Istimewa Yogyakarta,-7.894921,110.445588
35,,Jawa Timur,-7.719383,112.732440
"""
REGENCIES = """\
code,parent_code,name,lat,lng
34.04,34,Kabupaten Sleman,-7.716464,110.383213
35.05,35,Kabupaten Blitar,-8.131008,112.237221
"""
DISTRICTS = """\
code,parent_code,name,lat,lng
34.04.01,34.04,Gamping,-7.790316,110.320204
35.05.10,35.05,Kanigoro,-8.124330,112.207937
"""
VILLAGES = """\
code,parent_code,name,lat,lng
34.04.01.2001,34.04.01,Balecatur,-7.811240,110.296203
34.04.01.2002,34.04.01,Ambarketawang,,
35.05.10.1008,35.05.10,Kanigoro,-8.127954,112.218116
35.05.10.2001,35.05.10,Minggirsari,-8.138720,112.167437
35.05.10.2002,35.05.10,Jatinom,-8.129574,112.175103
"""
REGION_FILES = {
    "provinces": PROVINCES,
    "regencies": REGENCIES,
    "districts": DISTRICTS,
    "villages": VILLAGES,
}
REGION_MODELS = (Country, Village, District, Regency, Province)


def file_write(path: Path, text: str) -> Path:
    """Write a reference file, gzip-compressed if its name ends in ``.gz``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8", newline="") as file:
            file.write(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def region_files_write(directory: Path, **replacements: str | None) -> Path:
    """Write the four region files, gzip-compressed; a level replaced by None is left out."""
    for level, text in {**REGION_FILES, **replacements}.items():
        if text is not None:
            file_write(directory / f"{level}.csv.gz", text)
    return directory


def table_contents(*extra: type[models.Model]) -> dict[str, list[tuple]]:
    """Every row of the region and country tables (and of ``extra``), to compare over a load."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in (*REGION_MODELS, *extra)
    }


def tables_clear(*extra: type[models.Model]) -> None:
    """Empty the region and country tables (and ``extra``) outside any test transaction.

    The tables that point to them go too (PostgreSQL truncates nothing less); outside a test's
    own transaction they are empty.
    """
    tables = [model._meta.db_table for model in (*REGION_MODELS, *extra)]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    connection.ops.execute_sql_flush(statements)
