"""How much data each scale generates, and over which villages."""

from dataclasses import dataclass
from enum import StrEnum


class VillageChoice(StrEnum):
    FIRST_PROVINCE = "first_province"
    LARGEST_PROVINCE = "largest_province"
    ALL = "all"


@dataclass(frozen=True)
class Scale:
    name: str
    villages: VillageChoice
    # At most this many villages of the choice, the first by code; None takes them all.
    village_limit: int | None
    craft_units: int
    organisations: int
    products: int
    export_shipments: int
    nominations: int


SCALES = {
    scale.name: scale
    for scale in (
        # Seconds, for tests and a first look: the first villages of the first province.
        Scale("small", VillageChoice.FIRST_PROVINCE, 100, 2_000, 80, 300, 3_000, 18),
        # One province's villages, about 6% of the national figures.
        Scale(
            "province", VillageChoice.LARGEST_PROVINCE, None, 60_000, 2_400, 18_000, 120_000, 120
        ),
        # Every village of the country, the figures of a mature programme.
        Scale("national", VillageChoice.ALL, None, 1_000_000, 40_000, 300_000, 2_000_000, 2_000),
    )
}
