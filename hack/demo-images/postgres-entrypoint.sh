#!/usr/bin/env bash
# A compact stand-in for the official postgres image's docker-entrypoint.sh:
# on first start (empty $PGDATA) it initialises the cluster from
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB (or their *_FILE variants),
# runs /docker-entrypoint-initdb.d/*.sql|*.sh, then runs postgres as the
# postgres user, listening on all addresses with scram-sha-256 auth.
set -Eeo pipefail

# file_env VAR: VAR may come from the file named by VAR_FILE (Docker/k8s secrets).
file_env() {
	local var=$1 file_var="${1}_FILE"
	if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
		echo >&2 "error: both $var and $file_var are set (but are exclusive)"
		exit 1
	fi
	if [ -n "${!file_var:-}" ]; then
		export "$var"="$(<"${!file_var}")"
	fi
	unset "$file_var"
}

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

# As root: own the data and socket directories, then drop to postgres.
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
	chown postgres:postgres /var/run/postgresql
	chmod 700 "$PGDATA"
	exec gosu postgres "${BASH_SOURCE[0]}" "$@"
fi

init_cluster() {
	file_env POSTGRES_PASSWORD
	file_env POSTGRES_USER
	file_env POSTGRES_DB
	: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}"
	local auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
	if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
		echo >&2 'error: database is uninitialized and POSTGRES_PASSWORD is not set'
		echo >&2 '       (set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections)'
		exit 1
	fi
	echo "initialising database cluster in $PGDATA for user $POSTGRES_USER"
	initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
		--encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host="$auth" \
		${POSTGRES_INITDB_ARGS:-} -D "$PGDATA"
	printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
	printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

	# A temporary server on the Unix socket only, to create the database and run init scripts.
	pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
	local psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
	if [ "$POSTGRES_DB" != postgres ]; then
		"${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
	fi
	local f
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
		*.sh) echo "running $f"; . "$f" ;;
		*.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
		*.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
		*) [ -e "$f" ] && echo "ignoring $f" ;;
		esac
	done
	pg_ctl -D "$PGDATA" -m fast -w stop
	echo 'PostgreSQL init process complete; ready for start up.'
}

if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
	init_cluster
fi
exec "$@"
