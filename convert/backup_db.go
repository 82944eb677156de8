package convert

// Database engines berth backs up, recognised by image.
const (
	DBPostgres = "postgres"
	DBMySQL    = "mysql" // mysql and mariadb
	DBMongo    = "mongo"
	DBRedis    = "redis"
)

// dbEngine returns the engine of a database image, or "".
func dbEngine(image string) string {
	base := imageBase(image)
	if isToolImage(base) {
		return "" // postgres-exporter, mongo-express: nothing to dump
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if base == n || hasPrefixBefore(base, n, '-') || hasPrefixBefore(base, n, '_') {
				return true
			}
		}
		return false
	}
	switch {
	case has("postgres", "postgis", "timescaledb", "timescale"):
		return DBPostgres
	case has("mysql", "mariadb", "percona-server"):
		return DBMySQL
	case has("mongo", "mongodb"):
		return DBMongo
	case has("redis", "valkey"):
		return DBRedis
	}
	return ""
}

// dbSpec says how to dump and restore one engine with its own tools. The
// scripts run under POSIX sh in the database's own image (so the client
// matches the server's version) with DB_HOST, DB_PORT, the credential
// variables of the service, and OUT (dump) or IN (restore) set.
type dbSpec struct {
	port     int32
	ext      string   // file name extension of a dump
	credVars []string // variables copied from the service's container (same Secret refs)
	tool     string   // the dump tool, for the report
	dump     string
	restore  string
	// restoreToVolume: a restore writes into the database's data volume with
	// the database stopped (redis) instead of talking to the server.
	restoreToVolume bool
}

const pgLogin = `export PGPASSWORD="${POSTGRES_PASSWORD:-}"
U="${POSTGRES_USER:-postgres}"; D="${POSTGRES_DB:-$U}"
`

const mysqlLogin = `if [ -n "${MYSQL_ROOT_PASSWORD:-${MARIADB_ROOT_PASSWORD:-}}" ]; then
  U=root; export MYSQL_PWD="${MYSQL_ROOT_PASSWORD:-${MARIADB_ROOT_PASSWORD:-}}"
else
  U="${MYSQL_USER:-${MARIADB_USER:-root}}"; export MYSQL_PWD="${MYSQL_PASSWORD:-${MARIADB_PASSWORD:-}}"
fi
DUMP=$(command -v mysqldump || command -v mariadb-dump); CLI=$(command -v mysql || command -v mariadb)
`

// mysqlDatabases sets the positional parameters to the databases to dump:
// MYSQL_DATABASE as a plain user; as root every database but the system
// schemas. Not --all-databases: its dump carries the mysql schema, whose
// users and passwords would replace, in the fresh server a restore goes to,
// those its entrypoint created from the environment; with the official
// mariadb image that includes the healthcheck user, whose password lives in
// the data directory, so the restored server fails its healthcheck (and
// readiness) from its next restart on.
const mysqlDatabases = `set --
if [ "$U" = root ]; then
  "$CLI" -h "$DB_HOST" -P "$DB_PORT" -u root --batch --raw --skip-column-names -e 'SHOW DATABASES' > "$OUT.dbs"
  while IFS= read -r db; do
    case "$db" in mysql|information_schema|performance_schema|sys) ;; *) set -- "$@" "$db" ;; esac
  done < "$OUT.dbs"
  rm -f "$OUT.dbs"
else
  set -- "${MYSQL_DATABASE:-${MARIADB_DATABASE:-}}"
fi
`

const mongoLogin = `set --
if [ -n "${MONGO_INITDB_ROOT_USERNAME:-}" ]; then
  set -- --username "$MONGO_INITDB_ROOT_USERNAME" --password "${MONGO_INITDB_ROOT_PASSWORD:-}" --authenticationDatabase admin
fi
`

var dbSpecs = map[string]dbSpec{
	DBPostgres: {
		port: 5432, ext: ".pgdump", tool: "pg_dump --format=custom",
		credVars: []string{"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"},
		dump:     pgLogin + `pg_dump -h "$DB_HOST" -p "$DB_PORT" -U "$U" -d "$D" --format=custom --no-owner --file="$OUT"` + "\n",
		restore: pgLogin + `until pg_isready -h "$DB_HOST" -p "$DB_PORT" -U "$U" -q; do echo waiting for the database; sleep 2; done
# retried: right after a restart, DNS may still name the old pod for a while
# (one transaction: a failed attempt changes nothing)
n=0
until pg_restore -h "$DB_HOST" -p "$DB_PORT" -U "$U" -d "$D" --clean --if-exists --no-owner --single-transaction "$IN"; do
  n=$((n+1)); [ "$n" -lt 10 ] || exit 1
  echo "pg_restore failed; retrying in 3 s"; sleep 3
done
`,
	},
	DBMySQL: {
		port: 3306, ext: ".sql.gz", tool: "mysqldump (mariadb-dump) --single-transaction",
		credVars: []string{"MYSQL_ROOT_PASSWORD", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_DATABASE",
			"MARIADB_ROOT_PASSWORD", "MARIADB_USER", "MARIADB_PASSWORD", "MARIADB_DATABASE"},
		dump: mysqlLogin + mysqlDatabases + `if [ "$#" -eq 0 ]; then
  echo "no databases but the system schemas: the dump is empty"; : > "$OUT.sql"
else
  "$DUMP" -h "$DB_HOST" -P "$DB_PORT" -u "$U" --single-transaction --routines --events --databases "$@" > "$OUT.sql"
fi
gzip -c "$OUT.sql" > "$OUT"; rm -f "$OUT.sql"
`,
		// retried: right after a restart, DNS may still name the old pod for
		// a while (from one DNS replica but not another); a dump replays
		// cleanly (CREATE DATABASE IF NOT EXISTS, DROP TABLE IF EXISTS)
		restore: mysqlLogin + `n=0
until gunzip -c "$IN" | "$CLI" -h "$DB_HOST" -P "$DB_PORT" -u "$U" --connect-timeout=5; do
  n=$((n+1)); [ "$n" -lt 20 ] || exit 1
  echo "restore failed; retrying in 3 s"; sleep 3
done
`,
	},
	DBMongo: {
		port: 27017, ext: ".archive.gz", tool: "mongodump --archive --gzip",
		credVars: []string{"MONGO_INITDB_ROOT_USERNAME", "MONGO_INITDB_ROOT_PASSWORD"},
		dump:     mongoLogin + `mongodump --host "$DB_HOST" --port "$DB_PORT" "$@" --archive="$OUT" --gzip` + "\n",
		restore:  mongoLogin + `mongorestore --host "$DB_HOST" --port "$DB_PORT" "$@" --archive="$IN" --gzip --drop` + "\n",
	},
	DBRedis: {
		port: 6379, ext: ".rdb", tool: "redis-cli --rdb",
		credVars: []string{"REDIS_PASSWORD"},
		dump: `if [ -n "${REDIS_PASSWORD:-}" ]; then export REDISCLI_AUTH="$REDIS_PASSWORD"; fi
redis-cli -h "$DB_HOST" -p "$DB_PORT" --rdb "$OUT"
`,
		// Redis loads its dataset only at start: the restore copies the RDB
		// into the stopped server's data volume (`berth restore` scales the
		// StatefulSet to 0 around it) and sets the append-only files aside.
		restore: `cp "$IN" "$DATA_DIR/dump.rdb.restoring" && mv "$DATA_DIR/dump.rdb.restoring" "$DATA_DIR/dump.rdb"
if [ -d "$DATA_DIR/appendonlydir" ]; then mv "$DATA_DIR/appendonlydir" "$DATA_DIR/appendonlydir.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"; fi
`,
		restoreToVolume: true,
	},
}
