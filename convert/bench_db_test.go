package convert_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"berth/convert"
)

// dbImage is one database engine of the generated database-heavy files:
// its image, port, data directory and a credential variable (the backup
// and exporter containers copy credentials from the service).
type dbImage struct{ image, port, dir, cred string }

var dbImages = []dbImage{
	{"postgres:16", "5432", "/var/lib/postgresql/data", "POSTGRES_PASSWORD"},
	{"mysql:8.4", "3306", "/var/lib/mysql", "MYSQL_ROOT_PASSWORD"},
	{"redis:7.4", "6379", "/data", "REDIS_PASSWORD"},
	{"mongo:7.0", "27017", "/data/db", "MONGO_INITDB_ROOT_PASSWORD"},
}

// writeDatabases writes a compose file shaped like gencompose's chain (a
// published port, environment, a dependency on the previous service, a
// healthcheck and resources per service) where every 7th service is a
// database (postgres, mysql, redis, mongo in turn) with a named volume: the
// shape whose backups, exporters and network rules grow per database.
// gencompose lives outside convert; the helper stays in a test file.
func writeDatabases(w io.Writer, n int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "name: gen-db-%d\nservices:\n", n)
	var volumes []string
	for i := 0; i < n; i++ {
		if v := writeDBService(bw, i); v != "" {
			volumes = append(volumes, v)
		}
	}
	if len(volumes) > 0 {
		bw.WriteString("volumes:\n")
		for _, v := range volumes {
			fmt.Fprintf(bw, "  %s: {}\n", v)
		}
	}
	return bw.Flush()
}

// writeDBService writes service i and returns the named volume it mounts, or "".
func writeDBService(w *bufio.Writer, i int) string {
	name := fmt.Sprintf("svc-%04d", i)
	image, port, dir, volume := fmt.Sprintf("registry.example.com/team/app-%d:1.%d", i%7, i%3), "8080", "/var/lib/app", ""
	var db *dbImage
	if i%7 == 0 {
		db = &dbImages[(i/7)%len(dbImages)]
		image, port, dir = db.image, db.port, db.dir
	}
	fmt.Fprintf(w, "  %s:\n    image: %s\n    ports:\n      - \"%d:%s\"\n", name, image, 10000+i, port)
	fmt.Fprintf(w, "    environment:\n      SERVICE_INDEX: \"%d\"\n      LOG_LEVEL: info\n", i)
	if db != nil {
		fmt.Fprintf(w, "      %s: secret-%d\n", db.cred, i)
	}
	if db != nil || i%5 == 0 {
		volume = fmt.Sprintf("data-%04d", i)
		fmt.Fprintf(w, "    volumes:\n      - %s:%s\n", volume, dir)
	}
	if i > 0 {
		fmt.Fprintf(w, "    depends_on:\n      svc-%04d:\n        condition: service_started\n", i-1)
	}
	w.WriteString(`    deploy:
      resources:
        limits: {cpus: "0.5", memory: 256M}
        reservations: {cpus: "0.1", memory: 64M}
`)
	return volume
}

// loadDatabases writes and loads a database-heavy file of n services.
func loadDatabases(tb testing.TB, n int) *convert.Loaded {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "compose.yaml")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := writeDatabases(f, n); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{path}, Environ: []string{}})
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// BenchmarkConvertDatabases measures Convert alone on 1,000 services, 143
// of them databases, in local (PVC backups) and prod (S3 backups, metrics
// exporters): the per-database steps must stay linear too.
func BenchmarkConvertDatabases(b *testing.B) {
	l := loadDatabases(b, 1000)
	for _, env := range []string{"local", "prod"} {
		b.Run(env, func(b *testing.B) {
			o := l.Options()
			o.Env = env
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := convert.Convert(l.Project, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
