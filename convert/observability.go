package convert

import (
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Prometheus scrape annotations (the convention most Prometheus setups
// relabel on) and the label marking the Service a ServiceMonitor selects.
const (
	AnnotationScrape      = "prometheus.io/scrape"
	AnnotationScrapePort  = "prometheus.io/port"
	AnnotationScrapePath  = "prometheus.io/path"
	LabelMetrics          = "berth.dev/metrics"
	DefaultMetricsPath    = "/metrics"
	metricsPortName       = "metrics"
	exporterPortName      = "exporter"
	exporterContainerName = "exporter"
)

// exporter is the standard Prometheus exporter of one database engine.
type exporter struct {
	image string
	port  int32
}

// exporters, pinned: the Prometheus community's where there is one.
var exporters = map[string]exporter{
	DBPostgres: {image: "quay.io/prometheuscommunity/postgres-exporter:v0.15.0", port: 9187},
	DBMySQL:    {image: "quay.io/prometheus/mysqld-exporter:v0.15.1", port: 9104},
	DBRedis:    {image: "docker.io/oliver006/redis_exporter:v1.62.0", port: 9121},
	DBMongo:    {image: "docker.io/percona/mongodb_exporter:0.40.0", port: 9216},
}

// observability adds metrics (scrape annotations, exporters, ServiceMonitors)
// by the environment's metrics stack, and log shipping by its log sink.
func (c *converter) observability() error {
	env, err := c.environment()
	if err != nil {
		return err
	}
	for _, n := range c.serviceNames() {
		if c.podOwner[n] != "" {
			continue
		}
		if err := c.serviceMetrics(n, env); err != nil {
			return err
		}
		if err := c.logSidecars(n); err != nil {
			return err
		}
	}
	return c.logShipping(env)
}

// scrapeTarget is one metrics endpoint of a pod.
type scrapeTarget struct {
	port     int32
	path     string
	portName string // name of the Service port
}

// scrapeTargets lists a pod owner's metrics endpoints under the environment:
// declared x-berth.metrics ports, then the database exporter.
func (c *converter) scrapeTargets(owner string, env Environment) []scrapeTarget {
	if env.Metrics == MetricsNone || env.Metrics == "" {
		return nil
	}
	var out []scrapeTarget
	for _, n := range append([]string{owner}, c.podGuests(owner)...) {
		ext, err := serviceExt(c.p.Services[n])
		if err != nil || ext.Metrics == nil || ext.Metrics.Port <= 0 {
			continue
		}
		path := ext.Metrics.Path
		if path == "" {
			path = DefaultMetricsPath
		}
		out = append(out, scrapeTarget{port: ext.Metrics.Port, path: path, portName: metricsPortName})
	}
	if ex, ok := exporters[dbEngine(c.p.Services[owner].Image)]; ok {
		out = append(out, scrapeTarget{port: ex.port, path: DefaultMetricsPath, portName: exporterPortName})
	}
	return out
}

// scrapePorts are the ports Prometheus scrapes on a pod owner (for its
// NetworkPolicy).
func (c *converter) scrapePorts(owner string) []svcPort {
	env, err := c.environment()
	if err != nil {
		return nil
	}
	var out []svcPort
	for _, t := range c.scrapeTargets(owner, env) {
		out = append(out, svcPort{port: t.port, protocol: corev1.ProtocolTCP})
	}
	return out
}

func (c *converter) serviceMetrics(owner string, env Environment) error {
	ext, err := serviceExt(c.p.Services[owner])
	if err != nil {
		return err
	}
	targets := c.scrapeTargets(owner, env)
	if len(targets) == 0 {
		if ext.Metrics != nil {
			c.rep.approx(owner, "x-berth.metrics", "environment %s has metrics stack %q: no scrape annotations", env.Name, env.Metrics)
		}
		return nil
	}
	pt, main := c.workloadContainer(owner)
	if pt == nil {
		return nil
	}
	if engine := dbEngine(c.p.Services[owner].Image); exporters[engine].image != "" {
		pt.Spec.Containers = append(pt.Spec.Containers, c.exporterContainer(engine, main))
		c.rep.note("metrics: %s gets the %s exporter sidecar (%s) on port %d, credentials from the service's own env", owner, engine, exporters[engine].image, exporters[engine].port)
	}
	first := targets[0]
	pt.Annotations[AnnotationScrape] = "true"
	pt.Annotations[AnnotationScrapePort] = strconv.Itoa(int(first.port))
	pt.Annotations[AnnotationScrapePath] = first.path
	for i, t := range targets {
		targets[i].portName = c.exposeMetricsPort(owner, main, t)
	}
	if ext.Metrics != nil {
		c.rep.mapped(owner, "x-berth.metrics", "prometheus.io scrape annotations on port %d path %s", first.port, first.path)
	}
	if env.Metrics == MetricsPrometheusOperator {
		c.add(c.serviceMonitor(owner, targets))
		c.rep.note("metrics: ServiceMonitor %s scrapes %s (needs the Prometheus Operator's CRDs)", DNSName(owner), owner)
	}
	return nil
}

// exposeMetricsPort makes a metrics port a container port and a port of the
// service's Service, and returns the Service port's name.
func (c *converter) exposeMetricsPort(owner string, main *corev1.Container, t scrapeTarget) string {
	if t.portName == metricsPortName && !hasContainerPort(main, t.port) {
		main.Ports = append(main.Ports, corev1.ContainerPort{Name: metricsPortName, ContainerPort: t.port, Protocol: corev1.ProtocolTCP})
	}
	for _, svc := range c.index().services[DNSName(owner)] {
		if svc.Spec.Type == corev1.ServiceTypeExternalName {
			continue
		}
		svc.Labels[LabelMetrics] = "true"
		for _, p := range svc.Spec.Ports {
			if p.Port == t.port {
				return p.Name
			}
		}
		svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{
			Name: t.portName, Port: t.port, TargetPort: intstr.FromInt32(t.port), Protocol: corev1.ProtocolTCP,
		})
	}
	return t.portName
}

func hasContainerPort(ct *corev1.Container, port int32) bool {
	for _, p := range ct.Ports {
		if p.ContainerPort == port {
			return true
		}
	}
	return false
}

// serviceMonitor renders a monitoring.coreos.com/v1 ServiceMonitor as an
// unstructured object (the operator's Go types are not worth a module).
func (c *converter) serviceMonitor(owner string, targets []scrapeTarget) Object {
	var endpoints []any
	for _, t := range targets {
		endpoints = append(endpoints, map[string]any{"port": t.portName, "path": t.path})
	}
	meta := c.meta(DNSName(owner), owner)
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "monitoring.coreos.com/v1",
		"kind":       "ServiceMonitor",
		"spec": map[string]any{
			"selector": map[string]any{"matchLabels": map[string]any{
				LabelName: DNSName(owner), LabelPartOf: c.project, LabelMetrics: "true",
			}},
			"namespaceSelector": map[string]any{"matchNames": []any{c.namespace}},
			"endpoints":         endpoints,
		},
	}}
	u.SetName(meta.Name)
	u.SetNamespace(meta.Namespace)
	u.SetLabels(meta.Labels)
	u.SetAnnotations(meta.Annotations)
	return u
}
