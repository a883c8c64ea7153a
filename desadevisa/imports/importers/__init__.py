"""What each kind of file creates or updates: craft units, memberships, products and export
shipments, identified by their natural keys.

An importer reads a chunk of rows in three steps, so memory and queries stay bounded per
chunk whatever the file's length:

1. ``parse`` each row's cells into values (no query), with cell errors;
2. ``resolve`` the chunk: look up references and existing rows by natural key, check the
   person may create or change each row, and decide for each row whether it creates, updates
   or leaves its record unchanged (a few queries per chunk);
3. ``write`` the chunk with ``bulk_create`` / ``bulk_update`` (new craft units with COPY on
   PostgreSQL); unchanged rows are not written.

On PostgreSQL, natural keys and codes are looked up with one array parameter per column
rather than one parameter per value (``pairs_filter``, ``values_in``).

Permissions are the pages' (``registry``, ``catalog`` and ``exports`` permissions): a row the
person may neither create nor change gets the same error whether its record exists or not.
"""

from desadevisa.imports.importers.base import CREATE, UNCHANGED, UPDATE, Importer, Row
from desadevisa.imports.importers.catalog import ProductImporter
from desadevisa.imports.importers.exports import ExportShipmentImporter
from desadevisa.imports.importers.registry import CraftUnitImporter, MembershipImporter

__all__ = ["CREATE", "IMPORTERS", "UNCHANGED", "UPDATE", "Importer", "Row"]

IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (CraftUnitImporter, MembershipImporter, ProductImporter, ExportShipmentImporter)
}
