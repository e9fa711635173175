"""The database itself refuses to change or delete a submitted (frozen) version, whatever
code or SQL tries: a trigger on PostgreSQL and on SQLite."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION filings_version_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.submitted_at IS NOT NULL THEN
        RAISE EXCEPTION 'filing version % is submitted and cannot be changed', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER filings_version_immutable
    BEFORE UPDATE OR DELETE ON filings_filingversion
    FOR EACH ROW EXECUTE FUNCTION filings_version_immutable();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS filings_version_immutable ON filings_filingversion;
DROP FUNCTION IF EXISTS filings_version_immutable();
"""
SQLITE_UP = [
    """CREATE TRIGGER filings_version_immutable_update
       BEFORE UPDATE ON filings_filingversion
       WHEN OLD.submitted_at IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'filing version is submitted and cannot be changed'); END;""",
]
# SQLite (the `make run` default) guards updates only: its test flush deletes rows one by
# one, which a delete trigger would stop; PostgreSQL truncates, which row triggers ignore.
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS filings_version_immutable_update;",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
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
    dependencies = [("filings", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
