"""The database cache, with an increment that several processes can share.

Django's ``DatabaseCache.incr`` reads the value, then writes it back with the default timeout:
two processes counting at once lose a count, and every count pushes the key's expiry further.
The public rate limit counts in this cache from every server process, so here the row is
locked while it is incremented, and it keeps its expiry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now


class SharedDatabaseCache(DatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        database = router.db_for_write(self.cache_model_class)
        with transaction.atomic(using=database):
            expires = self._lock(database, self.make_and_validate_key(key, version=version))
            value = self.get(key, self._missing_key, version=version)  # type: ignore[attr-defined]
            if expires is None or value is self._missing_key:  # type: ignore[attr-defined]
                raise ValueError(f"Key '{key}' not found")
            timeout = max(1.0, (expires - now()).total_seconds())
            self.set(key, value + delta, timeout=timeout, version=version)
        return value + delta

    def _lock(self, database: str, cache_key: str) -> datetime | None:
        """Lock the row of ``cache_key`` until the transaction ends; its expiry (None: none).
        SQLite needs no row lock: its transactions take the database's write lock."""
        connection = connections[database]
        quote = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        table = quote(self._table)  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('expires')} FROM {table} WHERE {quote('cache_key')} = %s{lock}",
                [cache_key],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        expression = models.Expression(output_field=models.DateTimeField())
        expires = row[0]
        for converter in connection.ops.get_db_converters(expression) + (
            expression.get_db_converters(connection)
        ):
            expires = converter(expires, expression, connection)
        return expires  # type: ignore[no-any-return]
