#!/usr/bin/env bash
# A compact stand-in for the official mariadb image's docker-entrypoint.sh:
# on first start (no mysql/ in the datadir) it initialises it with
# mariadb-install-db, sets the root password (root@localhost and
# root@MARIADB_ROOT_HOST, default '%'), creates MARIADB_DATABASE and
# MARIADB_USER / MARIADB_PASSWORD with all privileges on it, a healthcheck
# user for healthcheck.sh, and runs /docker-entrypoint-initdb.d/*.sql|*.sql.gz|*.sh;
# then it runs mariadbd as the mysql user. Every MARIADB_* variable may be
# given as MYSQL_* (the official image's aliases) or as *_FILE.
# Not covered: time zone tables, MARIADB_REPLICATION_*, MARIADB_AUTO_UPGRADE.
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

# mariadb_env NAME: MARIADB_NAME from itself, MYSQL_NAME, or their _FILE forms.
mariadb_env() {
	local m="MARIADB_$1" y="MYSQL_$1"
	file_env "$m"
	file_env "$y"
	if [ -z "${!m:-}" ] && [ -n "${!y:-}" ]; then
		export "$m"="${!y}"
	fi
}

# sql_string S: S as the body of a single-quoted SQL string literal.
sql_string() {
	local s=${1//\\/\\\\}
	s=${s//$'\n'/\\n}
	printf '%s' "${s//\'/\\\'}"
}

# random: a generated password (about 30 letters and digits).
random() { head -c 24 /dev/urandom | base64 | tr -d '/+='; }

# config NAME ARGS...: the server's effective setting NAME.
config() {
	local name=$1
	shift
	"$@" --verbose --help 2>/dev/null | awk -v n="$name" '$1 == n && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}

if [ "${1:0:1}" = '-' ]; then
	set -- mariadbd "$@"
fi
case "$1" in mariadbd | mysqld) server=1 ;; *) server= ;; esac

if [ -n "$server" ]; then
	if ! err=$("$@" --verbose --help 2>&1 >/dev/null); then
		printf >&2 'error: %s failed while reading its configuration:\n%s\n' "$1" "$err"
		exit 1
	fi
	DATADIR=$(config datadir "$@")
	DATADIR=${DATADIR%/}
	SOCKET=$(config socket "$@")
	PORT=$(config port "$@")
fi

# As root: own the datadir and the socket directory, then drop to mysql.
if [ -n "$server" ] && [ "$(id -u)" = 0 ]; then
	mkdir -p "$DATADIR" "$(dirname "$SOCKET")"
	find "$DATADIR" "$(dirname "$SOCKET")" \! -user mysql -exec chown mysql:mysql '{}' +
	exec gosu mysql "${BASH_SOURCE[0]}" "$@"
fi

# sql: the temporary server on its socket, as root (no password yet).
sql() { mariadb --no-defaults --protocol=socket --socket="$SOCKET" -uroot --database=mysql "$@"; }

init_datadir() {
	local v
	for v in ROOT_PASSWORD ALLOW_EMPTY_ROOT_PASSWORD RANDOM_ROOT_PASSWORD ROOT_HOST DATABASE USER PASSWORD; do
		mariadb_env "$v"
	done
	if [ -z "${MARIADB_ROOT_PASSWORD:-}" ] && [ -z "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-}" ] && [ -z "${MARIADB_RANDOM_ROOT_PASSWORD:-}" ]; then
		echo >&2 'error: database is uninitialized and the password option is not specified'
		echo >&2 '       You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
		exit 1
	fi
	if [ -n "${MARIADB_RANDOM_ROOT_PASSWORD:-}" ]; then
		MARIADB_ROOT_PASSWORD=$(random)
		echo "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
	fi
	: "${MARIADB_ROOT_HOST:=%}"
	echo "initialising database files in $DATADIR"
	mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal \
		--skip-test-db --skip-name-resolve --default-time-zone=SYSTEM --skip-log-bin "${@:2}" >/dev/null

	# A temporary server on the socket only, to create the users and run init scripts.
	"$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --skip-log-bin &
	local pid=$! i
	for i in $(seq 60); do
		sql -e 'SELECT 1' >/dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || { echo >&2 'error: the temporary server did not start'; exit 1; }
		[ "$i" -lt 60 ] || { echo >&2 'error: the temporary server did not answer in 30 s'; exit 1; }
		sleep 0.5
	done

	local root host hc user=""
	root=$(sql_string "${MARIADB_ROOT_PASSWORD:-}")
	host=$(sql_string "$MARIADB_ROOT_HOST")
	hc=$(random)
	if [ -n "${MARIADB_USER:-}" ]; then
		user="CREATE USER '$(sql_string "$MARIADB_USER")'@'%' IDENTIFIED BY '$(sql_string "${MARIADB_PASSWORD:-}")';"
		if [ -n "${MARIADB_DATABASE:-}" ]; then
			user+=" GRANT ALL ON \`${MARIADB_DATABASE//\`/\`\`}\`.* TO '$(sql_string "$MARIADB_USER")'@'%';"
		fi
	fi
	sql --binary-mode <<-EOSQL
		SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
		DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
		EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname, '\'');
		SET PASSWORD FOR 'root'@'localhost' = PASSWORD('$root');
		$(if [ "$MARIADB_ROOT_HOST" != localhost ]; then
			echo "CREATE USER 'root'@'$host' IDENTIFIED BY '$root';"
			echo "GRANT ALL ON *.* TO 'root'@'$host' WITH GRANT OPTION;"
			echo "GRANT PROXY ON ''@'%' TO 'root'@'$host' WITH GRANT OPTION;"
		fi)
		CREATE USER healthcheck@'127.0.0.1' IDENTIFIED BY '$hc';
		CREATE USER healthcheck@'::1' IDENTIFIED BY '$hc';
		CREATE USER healthcheck@localhost IDENTIFIED BY '$hc';
		$(if [ -n "${MARIADB_DATABASE:-}" ]; then echo "CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE//\`/\`\`}\`;"; fi)
		$user
	EOSQL
	printf '[mariadb-client]\nport=%s\nsocket=%s\nuser=healthcheck\npassword=%s\nprotocol=tcp\n' \
		"$PORT" "$SOCKET" "$hc" >"$DATADIR/.my-healthcheck.cnf"
	chmod 600 "$DATADIR/.my-healthcheck.cnf"

	local f cli=(mariadb --no-defaults --protocol=socket --socket="$SOCKET" -uroot --password="${MARIADB_ROOT_PASSWORD:-}")
	[ -z "${MARIADB_DATABASE:-}" ] || cli+=(--database="$MARIADB_DATABASE")
	for f in /docker-entrypoint-initdb.d/*; do
		# shellcheck source=/dev/null
		case "$f" in
		*.sh) echo "running $f"; . "$f" ;;
		*.sql) echo "running $f"; "${cli[@]}" <"$f" ;;
		*.sql.gz) echo "running $f"; gunzip -c "$f" | "${cli[@]}" ;;
		*) [ ! -e "$f" ] || echo "ignoring $f" ;;
		esac
	done
	kill "$pid"
	wait "$pid"
	echo 'MariaDB init process done. Ready for start up.'
}

if [ -n "$server" ] && [ ! -d "$DATADIR/mysql" ]; then
	init_datadir "$@"
fi
exec "$@"
