"""The few reference rows the demo stands on, as the reference loader would write them."""

from desadevisa.catalog.tests.factories import HSCodeFactory
from desadevisa.operations.demo import BLITAR_DISTRICTS, JAWA_TIMUR_READY
from desadevisa.regions.tests.factories import CountryFactory, ProvinceFactory
from desadevisa.registry.tests.factories import village_with_parents

MINGGIRSARI = "35.05.10.2001"
TRANGSAN = "33.11.11.2013"
BANYUMULEK = "52.01.02.2006"

REGION_NAMES = {
    "35": "Jawa Timur",
    "35.05": "Kabupaten Blitar",
    **BLITAR_DISTRICTS,
    MINGGIRSARI: "Minggirsari",
    **{code: name for code, name, _hs in JAWA_TIMUR_READY},
    "33": "Jawa Tengah",
    "33.11": "Kabupaten Sukoharjo",
    "33.11.11": "Gatak",
    TRANGSAN: "Trangsan",
    "52": "Nusa Tenggara Barat",
    "52.01": "Kabupaten Lombok Barat",
    "52.01.02": "Kediri",
    BANYUMULEK: "Banyumulek",
}


def demo_reference() -> None:
    """Write the villages with their parents, the countries and HS codes the demo needs."""
    for code in REGION_NAMES:
        if len(code) == 13:
            village_with_parents(code, names=REGION_NAMES)
    ProvinceFactory(code="51", name="Bali")
    for code in ("9206", "940153", "6913"):
        HSCodeFactory(code=code)
    for code in ("AU", "DE", "FR", "JP", "KR", "NL", "US"):
        CountryFactory(code=code)
