# quay.io/prometheuscommunity/postgres-exporter:v0.15.0 stand-in: Debian
# bookworm's prometheus-postgres-exporter 0.11 (layer.tar), run like the
# official image (/bin/postgres_exporter as nobody, port 9187), configured by
# DATA_SOURCE_NAME or DATA_SOURCE_URI / DATA_SOURCE_USER / DATA_SOURCE_PASS.
ARG BASE
FROM ${BASE}
ARG HASH
ADD layer.tar /
RUN ln -s prometheus-postgres-exporter /usr/bin/postgres_exporter && postgres_exporter --version
USER nobody
EXPOSE 9187
LABEL dev.berth.demo-images=${HASH}
ENTRYPOINT ["/bin/postgres_exporter"]
