"""Products' search documents stay current whatever changes: the product, its village or the
region names around it; on PostgreSQL the migration's trigger and index serve the search."""

import pytest
from django.db import connection

from desadevisa.catalog.models import Product, search_document_text, search_fold
from desadevisa.catalog.search import product_search_documents_refresh, search_words
from desadevisa.catalog.services import product_update
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.core.editing import record_version
from desadevisa.regions.models import District, Province, Regency, Village

pytestmark = pytest.mark.django_db


@pytest.fixture
def minggirsari():
    province = Province.objects.create(code="35", name="Jawa Timur")
    regency = Regency.objects.create(code="35.05", name="Kabupaten Blitar", province=province)
    district = District.objects.create(code="35.05.10", name="Kanigoro", regency=regency)
    return Village.objects.create(
        code="35.05.10.2001", name="Minggirsari", district=district, province=province
    )


@pytest.fixture
def djembe(minggirsari):
    return ProductFactory(
        village=minggirsari,
        name_id="Kendang Djimbe",
        name_en="Djembe Drum",
        description_id="Dipahat dari kayu mahoni.",
        description_en="Carved from mahogany.",
        materials="Mahogany wood, goat skin",
    )


def document(product: Product) -> str:
    return Product.objects.values_list("search_document", flat=True).get(pk=product.pk)


def test_fold_lowers_case_and_drops_accents():
    assert search_fold("Kerajinan TENUN Café") == "kerajinan tenun cafe"


def test_search_words_keep_only_letters_and_digits():
    assert search_words("'rattan' & (chair)! <script> 100% a_b") == [
        "rattan",
        "chair",
        "script",
        "100",
        "a",
        "b",
    ]


def test_search_words_are_at_most_eight():
    assert len(search_words("one two three four five six seven eight nine ten")) == 8


def test_a_new_product_holds_its_texts_and_region_names(djembe):
    assert document(djembe) == (
        "kendang djimbe\ndjembe drum\ndipahat dari kayu mahoni.\ncarved from mahogany.\n"
        "mahogany wood, goat skin\nminggirsari\nkanigoro\nkabupaten blitar\njawa timur"
    )


def test_saving_a_changed_name_changes_the_document(djembe):
    djembe.name_en = "Hand drum"
    djembe.save(update_fields=["name_en"])

    assert "hand drum" in document(djembe)
    assert "djembe drum" not in document(djembe)


def test_saving_other_fields_leaves_the_document(djembe, django_assert_num_queries):
    before = document(djembe)
    djembe.lead_time_days = 10

    with django_assert_num_queries(1):
        djembe.save(update_fields=["lead_time_days"])

    assert document(djembe) == before


def test_moving_a_product_to_another_village_changes_the_document(djembe, minggirsari):
    other = Village.objects.create(
        code="35.05.10.2002",
        name="Papungan",
        district=minggirsari.district,
        province=minggirsari.province,
    )

    djembe.village = other
    djembe.save()

    assert "papungan" in document(djembe)
    assert "minggirsari" not in document(djembe)


def test_the_update_service_keeps_the_document(djembe, administrator):
    fields = {
        name: getattr(djembe, name)
        for name in ("name_id", "description_id", "description_en", "materials", "hs_code")
    }

    product_update(
        product=djembe,
        actor=administrator,
        craft_units=[],
        fields={**fields, "name_en": "Talking drum"},
        seen_version=record_version(djembe),
    )

    assert "talking drum" in document(djembe)


@pytest.mark.parametrize(
    ("model", "lookup", "name", "folded"),
    [
        (Village, {"code": "35.05.10.2001"}, "Minggir Sari", "minggir sari"),
        (District, {"code": "35.05.10"}, "Kanigoro Baru", "kanigoro baru"),
        (Regency, {"code": "35.05"}, "Kabupaten Blitar Raya", "kabupaten blitar raya"),
        (Province, {"code": "35"}, "Jawa Timur Raya", "jawa timur raya"),
    ],
)
def test_renaming_a_region_renames_it_in_its_products_documents(
    djembe, model, lookup, name, folded
):
    region = model.objects.get(**lookup)

    region.name = name
    region.save()

    assert folded in document(djembe)


def test_refresh_rebuilds_documents_after_bulk_writes(djembe, minggirsari):
    other = ProductFactory(village=minggirsari, name_en="Gamelan set")
    Product.objects.filter(pk=djembe.pk).update(name_en="Bulk drum")
    Product.objects.filter(pk=other.pk).update(name_en="Bulk gamelan")
    assert "bulk" not in document(djembe)

    assert product_search_documents_refresh(product_ids=[djembe.pk]) == 1
    assert "bulk drum" in document(djembe)
    assert "bulk gamelan" not in document(other)

    assert product_search_documents_refresh() == 2
    assert "bulk gamelan" in document(other)


def test_refresh_reads_and_writes_in_batches(djembe, minggirsari, monkeypatch):
    from desadevisa.catalog import search

    monkeypatch.setattr(search, "REFRESH_BATCH_SIZE", 2)
    products = [djembe, *ProductFactory.create_batch(4, village=minggirsari)]
    Product.objects.update(search_document="")

    assert product_search_documents_refresh(product_ids=[p.pk for p in products]) == 5
    assert product_search_documents_refresh() == 5
    assert not Product.objects.filter(search_document="").exists()


def test_document_text_skips_empty_parts():
    assert search_document_text(texts=("Kendang", "", None), places=("Minggirsari", None)) == (
        "kendang\nminggirsari"
    )


# PostgreSQL: the migration's trigger and index --------------------------------------------------


@pytest.mark.postgres_only
def test_the_trigger_keeps_the_search_vector_with_the_document(djembe):
    def vector_has(word: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_vector @@ to_tsquery('simple', %s) FROM catalog_product "
                "WHERE id = %s",
                [word, djembe.pk],
            )
            return cursor.fetchone()[0]

    assert vector_has("mahogany")
    Product.objects.filter(pk=djembe.pk).update(search_document="rattan chair")
    assert vector_has("rattan")
    assert not vector_has("mahogany")


@pytest.mark.postgres_only
def test_the_migration_creates_the_full_text_index_and_searches_use_it(djembe):
    from desadevisa.showcase.public import catalog_search

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_product_search_gin'"
        )
        (definition,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = (
            catalog_search(query="mahogany").prefetch_related(None).query.sql_with_params()
        )
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "USING gin (search_vector)" in definition
    assert "catalog_product_search_gin" in plan
