"""The public catalog's search and filters (showcase.public.catalog_search), on both databases."""

from decimal import Decimal

import pytest

from desadevisa.catalog.tests.factories import HSCodeFactory, ProductFactory
from desadevisa.regions.models import District, Province, Regency, Village
from desadevisa.showcase import public
from desadevisa.showcase.public import catalog_search

pytestmark = pytest.mark.django_db

SPECIAL_QUERIES = [
    "'",
    '"',
    "&",
    "|",
    "!",
    ":",
    "*",
    "(",
    ")",
    "\\",
    "%",
    "_",
    "<script>alert(1)</script>",
    "rattan & | ! chair",
    "rattan:*",
    "'; DROP TABLE catalog_product; --",
    "(((rattan",
    "!rattan",
    "rattan <-> chair",
    "100%",
    "\\x00",
    "a" * 500,
]


def village_create(
    *,
    code: str = "35.05.10.2001",
    name: str = "Minggirsari",
    district: str = "Kanigoro",
    regency: str = "Kabupaten Blitar",
    province: str = "Jawa Timur",
) -> Village:
    """A village with its district, regency and province, each found by its code if it exists."""
    province_row, _created = Province.objects.get_or_create(
        code=code[:2], defaults={"name": province}
    )
    regency_row, _created = Regency.objects.get_or_create(
        code=code[:5], defaults={"name": regency, "province": province_row}
    )
    district_row, _created = District.objects.get_or_create(
        code=code[:8], defaults={"name": district, "regency": regency_row}
    )
    return Village.objects.create(
        code=code, name=name, district=district_row, province=province_row
    )


def public_product(**fields):
    """A public product; the factory's defaults are a djembe of a new village."""
    return ProductFactory(**{"is_public": True, **fields})


def found(**criteria) -> list[str]:
    return [product.name_en for product in catalog_search(**criteria)]


@pytest.fixture
def minggirsari():
    return village_create()


@pytest.fixture
def trangsan():
    return village_create(
        code="33.11.04.2005",
        name="Trangsan",
        district="Gatak",
        regency="Kabupaten Sukoharjo",
        province="Jawa Tengah",
    )


@pytest.fixture
def catalog(minggirsari, trangsan):
    """A djembe from Minggirsari and a rattan chair from Trangsan, with their own words."""
    djembe = public_product(
        village=minggirsari,
        name_id="Kendang djimbe",
        name_en="Djembe drum",
        description_id="Kendang dipahat dari satu batang kayu mahoni.",
        description_en="A drum carved from one piece of mahogany.",
        materials="mahogany wood, goat skin",
        hs_code=HSCodeFactory(code="920600"),
        price_min=Decimal("25.00"),
        price_max=Decimal("180.00"),
        minimum_order=50,
    )
    chair = public_product(
        village=trangsan,
        name_id="Kursi rotan",
        name_en="Rattan chair",
        description_id="Kursi anyaman rotan alam.",
        description_en="A chair woven of natural rattan.",
        materials="rattan, teak frame",
        hs_code=HSCodeFactory(code="9401"),
        price_min=Decimal("120.00"),
        price_max=Decimal("300.00"),
        minimum_order=10,
    )
    return djembe, chair


# Words ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("djembe", ["Djembe drum"]),
        ("kendang", ["Djembe drum"]),
        ("rattan chair", ["Rattan chair"]),
        ("kursi rotan", ["Rattan chair"]),
    ],
)
def test_search_finds_a_product_by_its_name_in_either_language(catalog, query, expected):
    assert found(query=query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("mahogany", ["Djembe drum"]), ("mahoni", ["Djembe drum"]), ("anyaman", ["Rattan chair"])],
)
def test_search_finds_a_product_by_its_description_in_either_language(catalog, query, expected):
    assert found(query=query) == expected


def test_search_finds_a_product_by_its_materials(catalog):
    assert found(query="goat skin") == ["Djembe drum"]
    assert found(query="teak") == ["Rattan chair"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Minggirsari", ["Djembe drum"]),
        ("Kanigoro", ["Djembe drum"]),
        ("Blitar", ["Djembe drum"]),
        ("Jawa Tengah", ["Rattan chair"]),
        ("trangsan chair", ["Rattan chair"]),
    ],
)
def test_search_finds_a_product_by_its_village_and_region_names(catalog, query, expected):
    assert found(query=query) == expected


def test_search_needs_every_word(catalog):
    assert found(query="rattan mahogany") == []


def test_search_ignores_case_and_accents(catalog):
    assert found(query="DJÉMBE") == ["Djembe drum"]


def test_search_does_not_stem_words(catalog):
    assert found(query="drums") == []


def test_search_ranks_a_product_named_by_the_words_first(minggirsari):
    public_product(
        village=minggirsari,
        name_en="Teak table",
        name_id="Meja jati",
        description_en="A table with rattan details.",
        materials="teak",
    )
    public_product(
        village=minggirsari,
        name_en="Rattan basket",
        name_id="Keranjang rotan",
        description_en="A basket woven of rattan.",
        materials="rattan",
    )

    assert found(query="rattan") == ["Rattan basket", "Teak table"]


@pytest.mark.postgres_only
def test_a_broad_search_ranks_only_the_first_matches_the_index_finds(minggirsari, monkeypatch):
    monkeypatch.setattr(public, "SEARCH_RANKED", 2)
    for number in range(5):
        public_product(village=minggirsari, name_en=f"Rattan basket {number}")

    assert len(found(query="rattan")) == 3
    assert len(found(query="")) == 5


@pytest.mark.postgres_only
def test_a_search_repeated_on_one_connection_finds_the_same_products(catalog, minggirsari):
    # From the fifth run on, PostgreSQL runs the prepared statement with a generic plan.
    public_product(village=minggirsari, name_en="Rattan basket", materials="rattan")
    first = found(query="rattan")
    filtered = found(query="rattan", province="33")

    for _ in range(7):
        assert found(query="rattan") == first
        assert found(query="rattan", province="33") == filtered
    assert first == ["Rattan chair", "Rattan basket"]
    assert filtered == ["Rattan chair"]


def test_search_without_words_lists_every_public_product_newest_first(catalog):
    assert found(query="") == ["Rattan chair", "Djembe drum"]
    assert found(query="  !!  ") == ["Rattan chair", "Djembe drum"]


@pytest.mark.parametrize("query", SPECIAL_QUERIES)
def test_search_reads_search_syntax_characters_as_plain_text(catalog, query):
    results = found(query=query)

    assert results in ([], ["Rattan chair"], ["Rattan chair", "Djembe drum"])


def test_search_finds_words_among_search_syntax_characters(catalog):
    assert found(query="'rattan' & (chair)!") == ["Rattan chair"]


def test_search_never_finds_a_product_that_is_not_public(catalog, minggirsari):
    ProductFactory(
        village=minggirsari,
        name_en="CANARYPRIVATE drum",
        description_en="CANARYPRIVATE",
        is_public=False,
    )

    assert found(query="canaryprivate") == []
    assert "CANARYPRIVATE drum" not in found()


# Filters --------------------------------------------------------------------------------------


def test_province_filter_keeps_the_products_of_that_province(catalog):
    assert found(province="35") == ["Djembe drum"]
    assert found(province="33", query="chair") == ["Rattan chair"]


def test_hs_filter_keeps_the_products_under_that_heading(catalog):
    assert found(hs="9206") == ["Djembe drum"]
    assert found(hs="9401") == ["Rattan chair"]
    assert found(hs="0901") == []


def test_price_filter_compares_the_lowest_price_in_us_dollars(catalog, minggirsari):
    public_product(
        village=minggirsari, name_en="Batik in rupiah", currency="IDR", price_min=Decimal("10")
    )

    assert found(price_max=Decimal("100")) == ["Djembe drum"]
    assert found(price_max=Decimal("120")) == ["Rattan chair", "Djembe drum"]
    assert found(price_max=Decimal("24.99")) == []


def test_minimum_order_filter_keeps_products_ordered_in_smaller_quantities(catalog):
    assert found(moq_max=10) == ["Rattan chair"]
    assert found(moq_max=50) == ["Rattan chair", "Djembe drum"]
    assert found(moq_max=9) == []


def test_filters_and_words_combine(catalog):
    assert found(query="chair", province="35") == []
    assert found(query="drum", province="35", hs="9206", moq_max=50) == ["Djembe drum"]
