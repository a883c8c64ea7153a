"""Products' search document, its contents for existing products, and on PostgreSQL its
full-text vector, kept by a trigger, with the index of public products the catalog searches.

The trigger (PostgreSQL's own ``tsvector_update_trigger``, 'simple' configuration) sets the
vector from the document on every insert and every update of the document, whatever writes
the row: the ORM, bulk operations or COPY. It is created before the backfill, which thus
fills both columns. The backfill reads products with their region names a batch at a time and
writes each batch in one statement: about a minute for a national data set (300,000
products). SQLite keeps the vector column empty and searches the document.
"""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models

INDEX_NAME = "catalog_product_search_gin"
TRIGGER_CREATE = """
    CREATE TRIGGER catalog_product_search_vector
    BEFORE INSERT OR UPDATE OF search_document, search_vector ON catalog_product
    FOR EACH ROW EXECUTE FUNCTION
    tsvector_update_trigger(search_vector, 'pg_catalog.simple', search_document)
"""
TRIGGER_DROP = "DROP TRIGGER IF EXISTS catalog_product_search_vector ON catalog_product"
BATCH_SIZE = 2_000
TEXT_FIELDS = ("name_id", "name_en", "description_id", "description_en", "materials")
PLACES = ("name", "district__name", "district__regency__name", "province__name")


def search_documents_fill(apps, schema_editor):
    from desadevisa.catalog.models import search_document_text

    product_model = apps.get_model("catalog", "Product")
    connection = schema_editor.connection
    table = connection.ops.quote_name(product_model._meta.db_table)
    rows = (
        product_model.objects.using(connection.alias)
        .order_by("pk")
        .values_list("pk", *TEXT_FIELDS, *(f"village__{place}" for place in PLACES))
    )
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH_SIZE])
        if not batch:
            return
        last = batch[-1][0]
        documents = [
            (
                row[0],
                search_document_text(
                    texts=row[1 : 1 + len(TEXT_FIELDS)], places=row[1 + len(TEXT_FIELDS) :]
                ),
            )
            for row in batch
        ]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {table} SET search_document = data.document "  # noqa: S608
                    "FROM unnest(%s::bigint[], %s::text[]) AS data(id, document) "
                    f"WHERE {table}.id = data.id",
                    [[pk for pk, _doc in documents], [doc for _pk, doc in documents]],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET search_document = %s WHERE id = %s",  # noqa: S608
                    [(doc, pk) for pk, doc in documents],
                )


def search_trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_CREATE, params=None)


def search_trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_DROP, params=None)


def search_index():
    # Only the public catalog searches the vector: the index holds public products only, so
    # a search's bitmap holds no row the catalog would throw away.
    return GinIndex(fields=["search_vector"], name=INDEX_NAME, condition=models.Q(is_public=True))


def search_index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("catalog", "Product"), search_index())


def search_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("catalog", "Product"), search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_product_photo_renditions"),
        ("regions", "0002_village_search_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_document",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search document"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="product",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="search vector"
            ),
        ),
        migrations.RunPython(search_trigger_create, search_trigger_drop, elidable=False),
        migrations.RunPython(search_documents_fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(search_index_create, search_index_drop, elidable=False),
    ]
