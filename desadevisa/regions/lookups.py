"""Index-friendly prefix and part matches for search keys and codes.

Django's ``startswith`` compiles to LIKE, which SQLite treats as case-insensitive and therefore
answers without a plain index, reading every row. Search keys and codes have no case, so on
SQLite these lookups use GLOB, which is case-sensitive and walks the index; elsewhere they use
LIKE, which PostgreSQL answers from a pattern-ops (prefix) or trigram (part) index.
"""

import re
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler

GLOB_SPECIAL = re.compile(r"[*?\[]")


class KeyMatch(Lookup):
    """Base: ``lhs`` holds the text ``rhs`` at its start or anywhere; ``rhs`` is plain text."""

    prefix_only = True

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        lhs, params = self.process_lhs(compiler, connection)
        text = connection.ops.prep_for_like_query(self._text(compiler, connection))
        pattern = f"{text}%" if self.prefix_only else f"%{text}%"
        return f"{lhs} LIKE %s", [*params, pattern]

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        lhs, params = self.process_lhs(compiler, connection)
        text = GLOB_SPECIAL.sub(r"[\g<0>]", self._text(compiler, connection))
        pattern = f"{text}*" if self.prefix_only else f"*{text}*"
        return f"{lhs} GLOB %s", [*params, pattern]

    def _text(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> str:
        # The text arrives bare or, once the lookup sits in a CASE, wrapped as a Value: both
        # compile to one parameter.
        _sql, (text,) = self.process_rhs(compiler, connection)
        return str(text)


class KeyStartsWith(KeyMatch):
    lookup_name = "key_startswith"


class KeyContains(KeyMatch):
    lookup_name = "key_contains"
    prefix_only = False
