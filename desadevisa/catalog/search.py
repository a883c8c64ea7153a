"""Full-text search over products: the search document's upkeep and the search condition.

Each product keeps a folded ``search_document`` (``catalog.models.search_document_text``) of its
names, descriptions and materials in both languages and its village's region names.
``Product.save()`` rebuilds it; writers that bypass ``save()`` (bulk creates and updates,
COPY) call ``product_search_documents_refresh`` or write it themselves, and renamed regions
refresh the documents of their products through the receivers below.

PostgreSQL matches against ``search_vector``, the document's tsvector that a trigger keeps
(migration 0003) and a GIN index serves, and ranks with ``ts_rank`` on it; the 'simple'
configuration, because the document mixes Indonesian and English and no stemmer serves both.
SQLite, the embedded default, requires every word to appear in the document. The query is cut
into words of letters and digits before it reaches either, so no character of it is ever read
as search syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.signals import post_save
from django.dispatch import receiver

from desadevisa.catalog.models import (
    SEARCH_DOCUMENT_PLACES,
    Product,
    search_document_text,
    search_fold,
)

SEARCH_CONFIG = "simple"
# Longer queries are cut: a buyer's search is a few words.
QUERY_MAX_LENGTH = 100
QUERY_MAX_WORDS = 8
# Rows rewritten per statement by the refresh.
REFRESH_BATCH_SIZE = 2_000
WORD = re.compile(r"[^\W_]+")
# The annotation holding, on each row of a search cut by ``ranked_at_most``, the number of rows
# ranked.
RANKED_COUNT = "ranked_count"

TEXT_FIELDS = ("name_id", "name_en", "description_id", "description_en", "materials")


def search_words(query: str) -> list[str]:
    """The folded words of ``query``: letters and digits only, at most eight."""
    return WORD.findall(search_fold(query[:QUERY_MAX_LENGTH]))[:QUERY_MAX_WORDS]


def product_search(
    products: QuerySet[Product], *, query: str, ranked_at_most: int | None = None
) -> QuerySet[Product]:
    """``products`` whose search document holds every word of ``query``, best match first.

    On PostgreSQL words match whole words of the document (as the index finds them) and the
    order is ``ts_rank``; with ``ranked_at_most``, only that many matches are ranked, the
    first the index finds, so a broad word does not read tens of thousands of rows, and each
    row carries their number in ``ranked_count`` (RANKED_COUNT). On
    SQLite words match anywhere in the document, and products with a word in their name come
    first. A query without words (only punctuation, say) leaves ``products`` unfiltered.
    """
    words = search_words(query)
    if not words:
        return products
    if connection.vendor == "postgresql":
        # The words hold letters and digits only: joined with &, they are a well-formed
        # tsquery whatever the buyer typed.
        tsquery = SearchQuery(" & ".join(words), search_type="raw", config=SEARCH_CONFIG)
        matches = products.filter(search_vector=tsquery)
        if ranked_at_most is not None:
            # The outer query reads the cut rows by key without repeating the match: with it
            # repeated, a plan made without the words' figures (a prepared statement's generic
            # plan) reads every match a second time.
            first = matches.order_by().values("pk")[:ranked_at_most]
            # Each row also carries how many were ranked, so a page of them is its own count.
            matches = products.filter(pk__in=first).annotate(**{RANKED_COUNT: Window(Count("pk"))})
        return matches.annotate(search_rank=SearchRank(F("search_vector"), tsquery)).order_by(
            "-search_rank", "-pk"
        )
    for word in words:
        products = products.filter(search_document__contains=word)
    in_name = Q()
    for word in words:
        in_name |= Q(name_id__icontains=word) | Q(name_en__icontains=word)
    return products.annotate(
        search_rank=Case(
            When(in_name, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("-search_rank", "-pk")


# Upkeep ---------------------------------------------------------------------------------------


def product_search_documents_refresh(
    *, products: QuerySet[Product] | None = None, product_ids: Sequence[int] | None = None
) -> int:
    """Rebuild the search documents of ``products``, or of the products ``product_ids``, or
    of all products, from their current values; returns how many were rebuilt.

    For writers that bypass ``Product.save()`` and for renamed regions. Reads and writes a
    batch of rows at a time, in one transaction.
    """
    written = 0
    with transaction.atomic():
        if product_ids is not None:
            for start in range(0, len(product_ids), REFRESH_BATCH_SIZE):
                chunk = product_ids[start : start + REFRESH_BATCH_SIZE]
                written += _refresh(Product.objects.filter(pk__in=chunk))
        else:
            written = _refresh(Product.objects.all() if products is None else products)
    return written


def _refresh(products: QuerySet[Product]) -> int:
    rows = products.order_by("pk").values_list(
        "pk", *TEXT_FIELDS, *(f"village__{place}" for place in SEARCH_DOCUMENT_PLACES)
    )
    written, last = 0, None
    while True:
        # Keyset batches: no cursor stays open over the table while it is written.
        batch = list((rows if last is None else rows.filter(pk__gt=last))[:REFRESH_BATCH_SIZE])
        if not batch:
            return written
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
        search_documents_write(documents)
        written += len(documents)


def search_documents_write(documents: list[tuple[int, str]]) -> None:
    """Store ``(product id, document)`` pairs: one statement on PostgreSQL."""
    table = connection.ops.quote_name(Product._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET search_document = data.document "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::text[]) AS data(id, document) "
                f"WHERE {table}.id = data.id",
                [[pk for pk, _document in documents], [doc for _pk, doc in documents]],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET search_document = %s WHERE id = %s",  # noqa: S608
                [(document, pk) for pk, document in documents],
            )


# A renamed region renames the place in its products' documents. Saves only: bulk updates
# of regions send no signal, and their writer refreshes the documents of the products concerned.


@receiver(post_save, sender="regions.Village", dispatch_uid="catalog_search_village")
def _village_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if not created and not raw:
        product_search_documents_refresh(products=Product.objects.filter(village=instance))


@receiver(post_save, sender="regions.District", dispatch_uid="catalog_search_district")
def _district_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if not created and not raw:
        product_search_documents_refresh(
            products=Product.objects.filter(village__district=instance)
        )


@receiver(post_save, sender="regions.Regency", dispatch_uid="catalog_search_regency")
def _regency_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if not created and not raw:
        product_search_documents_refresh(
            products=Product.objects.filter(village__district__regency=instance)
        )


@receiver(post_save, sender="regions.Province", dispatch_uid="catalog_search_province")
def _province_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if not created and not raw:
        product_search_documents_refresh(
            products=Product.objects.filter(village__province=instance)
        )
