# mariadb:10.11 stand-in: Debian bookworm's mariadb-server-core 10.11 and
# client (layer.tar) with an entrypoint and healthcheck.sh that behave like the
# official image's for the common variables and tests.
ARG BASE
FROM ${BASE}
ARG HASH
ADD layer.tar /
COPY mariadb-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
COPY mariadb-healthcheck.sh /usr/local/bin/healthcheck.sh
# Like the official image: all addresses, no name resolution, utf8mb4.
RUN groupadd -r -g 999 mysql && useradd -r -l -u 999 -g mysql -d /var/lib/mysql -s /usr/sbin/nologin mysql \
 && printf '[mariadbd]\nhost-cache-size = 0\nskip-name-resolve\ncharacter-set-server = utf8mb4\ncollation-server = utf8mb4_general_ci\n' \
      >/etc/mysql/mariadb.conf.d/05-docker.cnf \
 && mkdir -p /docker-entrypoint-initdb.d /var/lib/mysql /run/mysqld \
 && chown mysql:mysql /var/lib/mysql /run/mysqld && chmod 1777 /run/mysqld \
 && mariadbd --version && mariadb-dump --version && mysqldump --version && mysql --version
ENV MARIADB_MAJOR=10.11 LANG=C.UTF-8
VOLUME /var/lib/mysql
EXPOSE 3306
LABEL dev.berth.demo-images=${HASH}
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["mariadbd"]
