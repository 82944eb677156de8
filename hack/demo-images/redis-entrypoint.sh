#!/bin/sh
# A compact stand-in for the official redis image's docker-entrypoint.sh.
set -e

# `docker run redis:7 --appendonly yes` or a config file: run redis-server with them.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

# As root: own the working directory (/data), then drop to the redis user.
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec gosu redis "$0" "$@"
fi

# Like the official image: with no config file and no explicit setting,
# turn protected mode off so that other containers can connect.
if [ "$1" = redis-server ]; then
	case " $* " in
	*" --protected-mode "* | *.conf" "*) ;;
	*) set -- "$@" --protected-mode no ;;
	esac
fi
exec "$@"
