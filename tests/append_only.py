from django.db import DatabaseError, connection, transaction


def refused(sql: str, params=()) -> bool:
    """True when PostgreSQL refuses the statement because the table is append-only."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Pending deferred FK checks would make PostgreSQL refuse TRUNCATE for another reason.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql, params)
    except DatabaseError as e:
        return "append-only" in str(e)
    return False


def assert_append_only(table: str, pk: int) -> None:
    assert refused(f"UPDATE {table} SET id = id WHERE id = %s", [pk])  # noqa: S608
    assert refused(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
    assert refused(f"TRUNCATE {table} CASCADE")
