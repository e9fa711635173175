"""The database itself refuses to change or delete a decision or a recommendation, whatever
code or SQL tries: a trigger on PostgreSQL (updates only on SQLite, as in filings 0002)."""

from django.db import migrations

TABLES = ("reviews_decision", "reviews_recommendation")

PG_UP = """
CREATE OR REPLACE FUNCTION reviews_record_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% row % is a record and cannot be changed or deleted', TG_TABLE_NAME, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_immutable
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION reviews_record_immutable();
"""
    for table in TABLES
)
PG_DOWN = "".join(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS reviews_record_immutable();\n"
)
# SQLite (the `make run` default) guards updates only: its test flush deletes rows one by
# one, which a delete trigger would stop; PostgreSQL truncates, which row triggers ignore.
SQLITE_UP = [
    f"""CREATE TRIGGER {table}_immutable_update BEFORE UPDATE ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} row is a record and cannot be changed'); END;"""
    for table in TABLES
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {table}_immutable_update;" for table in TABLES]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the plpgsql body has % placeholders of its own.
        schema_editor.execute(PG_UP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
