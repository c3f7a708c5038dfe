#!/bin/bash
# PostgreSQL's docker entrypoint runs this once, on an empty data folder, as the owner role
# (POSTGRES_USER). It creates the role web, worker and beat connect as: it may read and write
# rows but owns no table, so it cannot drop or disable the audit trail's append-only trigger,
# nor TRUNCATE. Migrations run as the owner (the migrate service), and the default privileges
# below give the app role access to every table and sequence they create.
set -euo pipefail
: "${ESAFETY_DB_APP_PASSWORD:?ESAFETY_DB_APP_PASSWORD must be set}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_password="$ESAFETY_DB_APP_PASSWORD" -v db_name="$POSTGRES_DB" <<'SQL'
CREATE ROLE esafety_app LOGIN PASSWORD :'app_password';
GRANT CONNECT ON DATABASE :"db_name" TO esafety_app;
GRANT USAGE ON SCHEMA public TO esafety_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO esafety_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO esafety_app;
SQL
