"""Who may reach the export pages, for the permission matrix."""

import datetime

from django.core.files.base import ContentFile

from desadevisa.core.tests.files import MINIMAL_PDF
from desadevisa.core.tests.matrix import (
    NATIONAL_READERS,
    NATIONAL_ROLES,
    ROLES,
    Access,
    NationalOnly,
    ObjectScoped,
    SignedIn,
)
from desadevisa.exports.tests.factories import ExchangeRateFactory

# Those who may change the Jawa Timur shipment: national roles and the manager of the
# organisation whose member unit makes its product.
SHIPMENT_WRITERS = NATIONAL_ROLES | {"organisation_manager"}
# Those who read it but may not change it: 403 (SECURITY AC-6).
SHIPMENT_READ_ONLY = frozenset({"verifier", "provincial_officer"})


def shipment(world, records) -> dict[str, object]:
    return {"pk": records.shipment.pk}


def shipment_with_evidence(world, records) -> dict[str, object]:
    records.shipment.evidence.save("evidence.pdf", ContentFile(MINIMAL_PDF))
    return {"pk": records.shipment.pk}


def exchange_rate(world, records) -> dict[str, object]:
    # The table is national: each province's case gets a rate of its own.
    day = datetime.date(2022, 1, int(records.province.code) - 30)
    return {"pk": ExchangeRateFactory(currency="EUR", valid_from=day).pk}


PATTERNS: dict[str, Access] = {
    "exports:shipment-list": SignedIn(),
    "exports:shipment-totals": SignedIn(),
    # Everyone may open the form; it offers only the products they may change.
    "exports:shipment-create": SignedIn(),
    "exports:shipment-detail": ObjectScoped(
        kwargs=shipment, readers=frozenset(ROLES), readers_everywhere=NATIONAL_READERS
    ),
    "exports:shipment-evidence": ObjectScoped(
        kwargs=shipment_with_evidence,
        readers=frozenset(ROLES),
        readers_everywhere=NATIONAL_READERS,
    ),
    "exports:shipment-update": ObjectScoped(
        kwargs=shipment,
        readers=SHIPMENT_WRITERS,
        readers_everywhere=NATIONAL_ROLES,
        refused=SHIPMENT_READ_ONLY,
        refused_everywhere=frozenset({"verifier"}),
    ),
    "exports:shipment-delete": ObjectScoped(
        kwargs=shipment,
        readers=SHIPMENT_WRITERS,
        readers_everywhere=NATIONAL_ROLES,
        refused=SHIPMENT_READ_ONLY,
        refused_everywhere=frozenset({"verifier"}),
    ),
    "exports:exchange-rate-list": SignedIn(),
    "exports:exchange-rate-create": NationalOnly(),
    "exports:exchange-rate-update": ObjectScoped(
        kwargs=exchange_rate, readers=NATIONAL_ROLES, readers_everywhere=NATIONAL_ROLES
    ),
    "exports:exchange-rate-delete": ObjectScoped(
        kwargs=exchange_rate, readers=NATIONAL_ROLES, readers_everywhere=NATIONAL_ROLES
    ),
}
