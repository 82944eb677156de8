#!/bin/sh
# A compact stand-in for the official mariadb image's healthcheck.sh, for the
# tests compose files use most: --connect (the server accepts TCP connections;
# like the official script, an access-denied answer counts as connected) and
# --innodb_initialized (InnoDB is up, asked as the healthcheck user the
# entrypoint creates, whose credentials are in $DATADIR/.my-healthcheck.cnf).
set -eu
cnf=${DATADIR:-/var/lib/mysql}/.my-healthcheck.cnf
ask() { mariadb --defaults-extra-file="$cnf" -h localhost --protocol=tcp --skip-column-names -e "$1" 2>&1; }
[ $# -gt 0 ] || set -- --connect
for t; do
	case "$t" in
	--connect)
		if ask 'SELECT 1' | grep -qF "Can't connect"; then exit 1; fi ;;
	--innodb_initialized)
		[ "$(ask "SELECT 1 FROM information_schema.ENGINES WHERE engine = 'innodb' AND support IN ('YES', 'DEFAULT', 'ENABLED')")" = 1 ] ;;
	--su-mysql | --su=* | --no-defaults) ;;
	*)
		echo "healthcheck.sh: $t is not supported by this stand-in" >&2
		exit 1 ;;
	esac
done
