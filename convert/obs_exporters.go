package convert

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// exporterContainer is the database's exporter, reaching it on localhost with
// credentials taken from the database container's own variables (the same
// Secret references), never copied values.
func (c *converter) exporterContainer(engine string, main *corev1.Container) corev1.Container {
	ex := exporters[engine]
	ct := corev1.Container{
		Name:  exporterContainerName,
		Image: ex.image,
		Ports: []corev1.ContainerPort{{Name: exporterPortName, ContainerPort: ex.port, Protocol: corev1.ProtocolTCP}},
	}
	port := dbSpecs[engine].port
	for _, p := range main.Ports {
		if p.Protocol == corev1.ProtocolTCP || p.Protocol == "" {
			port = p.ContainerPort
			break
		}
	}
	from := func(to string, names ...string) {
		for _, n := range names {
			if e, ok := findEnv(main.Env, n); ok {
				e.Name = to
				ct.Env = append(ct.Env, e)
				return
			}
		}
	}
	switch engine {
	case DBPostgres:
		ct.Env = append(ct.Env, corev1.EnvVar{Name: "DATA_SOURCE_URI", Value: fmt.Sprintf("localhost:%d/postgres?sslmode=disable", port)})
		from("DATA_SOURCE_USER", "POSTGRES_USER")
		if _, ok := findEnv(ct.Env, "DATA_SOURCE_USER"); !ok {
			ct.Env = append(ct.Env, corev1.EnvVar{Name: "DATA_SOURCE_USER", Value: "postgres"})
		}
		from("DATA_SOURCE_PASS", "POSTGRES_PASSWORD")
	case DBMySQL:
		if _, root := findEnv(main.Env, "MYSQL_ROOT_PASSWORD"); root || hasEnv(main.Env, "MARIADB_ROOT_PASSWORD") {
			ct.Env = append(ct.Env, corev1.EnvVar{Name: "EXPORTER_USER", Value: "root"})
			from("MYSQLD_EXPORTER_PASSWORD", "MYSQL_ROOT_PASSWORD", "MARIADB_ROOT_PASSWORD")
		} else {
			from("EXPORTER_USER", "MYSQL_USER", "MARIADB_USER")
			from("MYSQLD_EXPORTER_PASSWORD", "MYSQL_PASSWORD", "MARIADB_PASSWORD")
		}
		ct.Args = []string{fmt.Sprintf("--mysqld.address=localhost:%d", port), "--mysqld.username=$(EXPORTER_USER)"}
	case DBRedis:
		ct.Env = append(ct.Env, corev1.EnvVar{Name: "REDIS_ADDR", Value: fmt.Sprintf("redis://localhost:%d", port)})
		from("REDIS_PASSWORD", "REDIS_PASSWORD")
	case DBMongo:
		ct.Env = append(ct.Env, corev1.EnvVar{Name: "MONGODB_URI", Value: fmt.Sprintf("mongodb://localhost:%d", port)})
		from("MONGODB_USER", "MONGO_INITDB_ROOT_USERNAME")
		from("MONGODB_PASSWORD", "MONGO_INITDB_ROOT_PASSWORD")
	}
	return ct
}

func findEnv(env []corev1.EnvVar, name string) (corev1.EnvVar, bool) {
	for _, e := range env {
		if e.Name == name {
			return e, true
		}
	}
	return corev1.EnvVar{}, false
}

func hasEnv(env []corev1.EnvVar, name string) bool {
	_, ok := findEnv(env, name)
	return ok
}
