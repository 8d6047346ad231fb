#!/bin/sh
# Run once by the postgres image when it initialises an empty data volume (/docker-entrypoint-initdb.d): creates the
# role the api and worker connect as (DATABASE_URL). It may do only what the migrations grant it, which the api
# applies at its start as the owner (DATABASE_MIGRATION_URL). A volume initialised before this file existed needs the
# same statement run once by hand (README: "Upgrading").
set -eu
: "${DINGRELAY_DB_RUNTIME_ROLE:=dingrelay_app}"
: "${DINGRELAY_DB_RUNTIME_PASSWORD:?set DINGRELAY_DB_RUNTIME_PASSWORD for the runtime role}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="$DINGRELAY_DB_RUNTIME_ROLE" -v password="$DINGRELAY_DB_RUNTIME_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
SQL
