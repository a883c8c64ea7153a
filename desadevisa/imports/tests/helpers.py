"""Files to import, and what the database holds, for the import tests."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from desadevisa.core.lists import header_row

CRAFT_UNIT_HEADER_EN = [
    "Village code",
    "Name",
    "Owner",
    "Women workers",
    "Men workers",
    "Monthly capacity",
    "Capacity unit",
    "Business ID (NIB)",
    "Active",
]


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence], *, delimiter: str = ",", bom=True
) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return (("\ufeff" if bom else "") + output.getvalue()).encode()


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(content: bytes, name: str = "file.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def unit_row(village_code: str, name: str, **values) -> list:
    row = {
        "owner_name": "Ibu Sari",
        "workers_women": 4,
        "workers_men": 6,
        "monthly_capacity": 200,
        "capacity_unit": "piece",
        "business_id": "",
        "is_active": "yes",
        **values,
    }
    return [
        village_code,
        name,
        row["owner_name"],
        row["workers_women"],
        row["workers_men"],
        row["monthly_capacity"],
        row["capacity_unit"],
        row["business_id"],
        row["is_active"],
    ]


def headers(columns, language: str = "en") -> list[str]:
    with translation.override(language):
        return header_row(columns)


def start_url() -> str:
    with translation.override("en"):
        return reverse("imports:import-start")


def post_file(client, kind: str, content: bytes, name: str = "file.csv"):
    """Upload a file from the start page; follows nothing."""
    return client.post(start_url(), {"kind": kind, "file": upload(content, name)})


DOMAIN_MODELS = (
    "registry.CraftUnit",
    "registry.Membership",
    "catalog.Product",
    "catalog.Product_craft_units",
    "exports.ExportShipment",
    "audit.AuditEvent",
)


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in DOMAIN_MODELS}


def checksum(label: str) -> str:
    """A digest of every row of a table, in primary-key order."""
    model = apps.get_model(label)
    digest = hashlib.sha256()
    for row in model.objects.order_by("pk").values_list():
        digest.update(repr(row).encode())
    return digest.hexdigest()


def checksums() -> dict[str, str]:
    return {label: checksum(label) for label in DOMAIN_MODELS}
