# redis:7 stand-in: Debian bookworm's redis-server 7.0 (layer.tar) with an
# entrypoint that behaves like the official image's.
ARG BASE
FROM ${BASE}
ARG HASH
ADD layer.tar /
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN mkdir /data && chown redis:redis /data && redis-server --version
VOLUME /data
WORKDIR /data
EXPOSE 6379
LABEL dev.berth.demo-images=${HASH}
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
