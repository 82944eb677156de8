package convert

import "testing"

func TestIsDatabaseImage(t *testing.T) {
	t.Parallel()
	for image, want := range map[string]bool{
		"postgres:16":                           true,
		"docker.io/library/mariadb:11":          true,
		"bitnami/postgresql:16":                 true,
		"bitnami/mongodb:7":                     true,
		"redis/redis-stack-server:7":            true,
		"mysql/mysql-server:8.0":                true,
		"redislabs/redismod":                    true,
		"nginx:1.25":                            false,
		"prometheuscommunity/postgres-exporter": false,
		"mongo-express:1":                       false,
		"rediscommander/redis-commander":        false,
		"provectuslabs/kafka-ui":                false,
		"oliver006/redis_exporter":              false,
	} {
		if got := isDatabaseImage(image); got != want {
			t.Errorf("isDatabaseImage(%q) = %v, want %v", image, got, want)
		}
	}
	for _, image := range []string{"prometheuscommunity/postgres-exporter", "mongo-express", "oliver006/redis_exporter"} {
		if e := dbEngine(image); e != "" {
			t.Errorf("dbEngine(%q) = %q, want none (a tool, not a database)", image, e)
		}
	}
}
