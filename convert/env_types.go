package convert

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrUnknownEnvironment is returned when Options.Env names an environment
// that is neither built in nor declared under x-berth.environments.
var ErrUnknownEnvironment = errors.New("unknown environment")

// Ways of exposing published ports (Environment.Expose).
const (
	ExposePortForward  = "portforward"  // nothing in the manifests: `berth up` forwards
	ExposeIngress      = "ingress"      // HTTP: Ingress; others: LoadBalancer Service
	ExposeGateway      = "gateway"      // HTTP: Gateway API HTTPRoute; others: LoadBalancer Service
	ExposeLoadBalancer = "loadbalancer" // every published port: LoadBalancer Service
	ExposeNodePort     = "nodeport"     // every published port: NodePort Service
)

// Metrics stacks (Environment.Metrics).
const (
	MetricsNone               = "none"
	MetricsAnnotations        = "annotations"         // prometheus.io/scrape annotations
	MetricsPrometheusOperator = "prometheus-operator" // ServiceMonitor objects
)

// Backup targets (Backup.Target).
const (
	BackupNone = "none"
	BackupPVC  = "pvc"
	BackupS3   = "s3"
)

// Image tag policies (Environment.TagPolicy) for images berth builds.
const (
	TagKeep        = "keep"         // Options.ImageTag / ImageTags (what `berth up` built)
	TagComposeHash = "compose-hash" // the compose content hash
	TagGitCommit   = "git-commit"   // the git commit, else the compose hash
)

// Environment holds the knobs that may differ between environments; nothing
// else does (the diff test proves it). It is the typed form of one entry of
// the top-level `x-berth: {environments: {NAME: ...}}`.
type Environment struct {
	Name    string `json:"-"`
	Extends string `json:"extends,omitempty"` // local or prod (default prod for new names)

	// Replicas: "declared" (compose deploy.replicas/scale, plus autoscaling)
	// or a fixed number for every workload (no autoscaling).
	Replicas string `json:"replicas,omitempty"`
	// Requests: "declared" (deploy.resources.reservations, else the defaults
	// below) or "none" (no requests; limits are kept).
	Requests      string            `json:"requests,omitempty"`
	DefaultCPU    string            `json:"defaultCPU,omitempty"`
	DefaultMemory string            `json:"defaultMemory,omitempty"`
	StorageClass  string            `json:"storageClass,omitempty"` // "" keeps declared classes / the cluster default
	VolumeSize    string            `json:"volumeSize,omitempty"`   // "" keeps declared sizes
	Expose        string            `json:"expose,omitempty"`       // portforward|ingress|gateway|loadbalancer|nodeport
	Domain        string            `json:"domain,omitempty"`       // host names are <service>.<domain>
	Hosts         map[string]string `json:"hosts,omitempty"`        // per-service host name override
	TLSSecret     string            `json:"tlsSecret,omitempty"`    // TLS Secret name; {service} is replaced
	IngressClass  string            `json:"ingressClass,omitempty"` // Ingress spec.ingressClassName
	Gateway       string            `json:"gateway,omitempty"`      // parent Gateway of HTTPRoutes: [namespace/]name
	Registry      string            `json:"registry,omitempty"`     // prefix of images berth builds
	TagPolicy     string            `json:"tagPolicy,omitempty"`    // keep|compose-hash|git-commit|fixed:<tag>
	Backup        Backup            `json:"backup,omitempty"`
	LogSink       string            `json:"logSink,omitempty"` // none|stdout|loki|elasticsearch|forward
	LogSinkURL    string            `json:"logSinkURL,omitempty"`
	Metrics       string            `json:"metrics,omitempty"` // none|annotations|prometheus-operator
}

// Backup is where and when database backups go.
type Backup struct {
	Target    string `json:"target,omitempty"`    // none|pvc|s3
	Schedule  string `json:"schedule,omitempty"`  // cron schedule
	Retention int    `json:"retention,omitempty"` // dumps kept
	Bucket    string `json:"bucket,omitempty"`    // s3: bucket (and prefix)
	Secret    string `json:"secret,omitempty"`    // s3: Secret with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL
	Size      string `json:"size,omitempty"`      // pvc: size of the backup volume
}

// ProjectExt is the typed form of the top-level `x-berth` extension.
type ProjectExt struct {
	Environments map[string]Environment `json:"environments,omitempty"`
}

// builtinEnvironments returns the defaults of local and prod.
func builtinEnvironments() map[string]Environment {
	return map[string]Environment{
		"local": {
			Name: "local", Replicas: "1", Requests: "none", DefaultCPU: "100m", DefaultMemory: "128Mi",
			StorageClass: "standard", Expose: ExposePortForward, Domain: "localhost",
			TLSSecret: "", TagPolicy: TagKeep, LogSink: "none", Metrics: MetricsNone,
			Backup: Backup{Target: BackupPVC, Schedule: "0 3 * * *", Retention: 3, Size: "1Gi"},
		},
		"prod": {
			Name: "prod", Replicas: "declared", Requests: "declared", DefaultCPU: "100m", DefaultMemory: "128Mi",
			Expose: ExposeIngress, Domain: "example.com", TLSSecret: "{service}-tls",
			TagPolicy: TagGitCommit, LogSink: "stdout", Metrics: MetricsAnnotations,
			Backup: Backup{Target: BackupS3, Schedule: "0 2 * * *", Retention: 7, Bucket: "backups", Secret: "backup-s3"},
		},
	}
}

// environment resolves the environment named by Options.Env: a built-in one,
// possibly overridden under x-berth.environments, or a declared one that
// extends local or prod. Steps of the production layer call it.
func (c *converter) environment() (Environment, error) {
	if c.envResolved == nil {
		env, err := c.resolveEnvironment()
		c.envResolved, c.envErr = &env, err
	}
	return *c.envResolved, c.envErr
}

// resolveEnvironment is environment, done once per conversion: several
// steps ask for it per service.
func (c *converter) resolveEnvironment() (Environment, error) {
	var ext ProjectExt
	if err := decodeExt(c.p.Extensions, "top level", &ext); err != nil {
		return Environment{}, err
	}
	name := c.opts.Env
	builtin := builtinEnvironments()
	declared, isDeclared := ext.Environments[name]
	base, isBuiltin := builtin[name]
	switch {
	case isBuiltin:
	case isDeclared:
		parent := declared.Extends
		if parent == "" {
			parent = "prod"
		}
		if base, isBuiltin = builtin[parent]; !isBuiltin {
			return Environment{}, fmt.Errorf("%w: x-berth.environments.%s.extends: %q is not local or prod", ErrInvalidProject, name, parent)
		}
	default:
		return Environment{}, fmt.Errorf("%w %q: the environments are %s", ErrUnknownEnvironment, name, strings.Join(EnvironmentNames(c.p.Extensions), ", "))
	}
	env := overlayEnvironment(base, declared)
	env.Name = name
	return env, env.validate()
}

// EnvironmentNames lists local, prod and the declared environments, sorted.
func EnvironmentNames(exts map[string]any) []string {
	var ext ProjectExt
	_ = decodeExt(exts, "top level", &ext)
	set := map[string]bool{"local": true, "prod": true}
	for n := range ext.Environments {
		set[n] = true
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// overlayEnvironment returns base with every knob o sets.
func overlayEnvironment(base, o Environment) Environment {
	pick := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	pick(&base.Replicas, o.Replicas)
	pick(&base.Requests, o.Requests)
	pick(&base.DefaultCPU, o.DefaultCPU)
	pick(&base.DefaultMemory, o.DefaultMemory)
	pick(&base.StorageClass, o.StorageClass)
	pick(&base.VolumeSize, o.VolumeSize)
	pick(&base.Expose, o.Expose)
	pick(&base.Domain, o.Domain)
	pick(&base.TLSSecret, o.TLSSecret)
	pick(&base.IngressClass, o.IngressClass)
	pick(&base.Gateway, o.Gateway)
	pick(&base.Registry, o.Registry)
	pick(&base.TagPolicy, o.TagPolicy)
	pick(&base.LogSink, o.LogSink)
	pick(&base.LogSinkURL, o.LogSinkURL)
	pick(&base.Metrics, o.Metrics)
	pick(&base.Backup.Target, o.Backup.Target)
	pick(&base.Backup.Schedule, o.Backup.Schedule)
	pick(&base.Backup.Bucket, o.Backup.Bucket)
	pick(&base.Backup.Secret, o.Backup.Secret)
	pick(&base.Backup.Size, o.Backup.Size)
	if o.Backup.Retention > 0 {
		base.Backup.Retention = o.Backup.Retention
	}
	if len(o.Hosts) > 0 {
		base.Hosts = o.Hosts
	}
	return base
}
