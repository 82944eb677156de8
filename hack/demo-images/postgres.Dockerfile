# postgres:15 stand-in: Debian bookworm's postgresql-15 (layer.tar) with an
# entrypoint that behaves like the official image's for the common variables.
ARG BASE
FROM ${BASE}
ARG HASH
ADD layer.tar /
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PG_MAJOR=15 LANG=C.UTF-8 PGDATA=/var/lib/postgresql/data \
    PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /docker-entrypoint-initdb.d /var/run/postgresql "$PGDATA" \
 && chown postgres:postgres /var/run/postgresql "$PGDATA" \
 && chmod 3777 /var/run/postgresql && chmod 1777 "$PGDATA" \
 && postgres --version && pg_isready --version
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
LABEL dev.berth.demo-images=${HASH}
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
