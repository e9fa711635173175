"""The state production's autovacuum keeps a database in, taken before timing pages."""

from django.db import connection


def settle() -> None:
    """VACUUM (ANALYZE) the bench database. Its rows are bulk-written, and the import
    benchmark rewrites every enterprise each run: without autovacuum (off on some servers)
    the tables keep their dead rows and have no planner statistics, and the planner then
    reads several times the pages production would. Must run outside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
