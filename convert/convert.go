package convert

import (
	"errors"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// DefaultWaitImage runs the init containers that wait for dependencies.
const DefaultWaitImage = "busybox:1.36"

// ErrInvalidProject is wrapped by conversion errors caused by the input.
var ErrInvalidProject = errors.New("invalid compose project")

// Options tune a conversion. The zero value converts for the "local" environment.
type Options struct {
	Env                 string               // environment to render: "local" (default), "prod", or declared
	Namespace           string               // default: the project name
	ComposeHash         string               // hash of the compose content, put on every object
	GitCommit           string               // git commit of the project, when there is one
	WaitImage           string               // image of the depends_on init containers
	IncludeSecretValues bool                 // print Secret values (only when the user asks)
	ImageTag            string               // tag of images built from `build:` (default "latest")
	ImageTags           map[string]string    // per-service override of ImageTag (used by `up` after a rebuild)
	Files               map[string][]byte    // file contents read by Load (configs, bind-mounted files)
	FileErrors          map[string]string    // files Load could not use, and why
	ImageUsers          map[string]ImageUser // by service: the user its built image runs as (Load reads the Dockerfile)
	HostBinds           bool                 // mount bind-mounted directories from the host (`berth up` on kind only)
}

// converter holds the state of one conversion. Large projects convert
// their services in two halves at once (shards.go): a field that converting
// a service writes must be set anew in shard.
type converter struct {
	p         *types.Project
	opts      Options
	project   string
	namespace string
	b         *Bundle
	rep       *Report
	// podOwner maps a service merged into another's pod (network_mode:
	// service:X) to X.
	podOwner map[string]string
	guests   map[string][]string // podOwner inverted, each list sorted
	// volumeSharers maps named volumes mounted by several pods to their
	// owners (volumes_shared.go).
	volumeSharers map[string][]string
	anchors       map[string][]string // volumeAnchors(), by pod owner
	// completedDeps are services others wait on with service_completed_successfully.
	completedDeps map[string]bool
	pvcs          map[string]bool              // PVCs already created
	configMaps    map[string]*corev1.ConfigMap // ConfigMaps by name, filled as services use them
	secretsMade   map[string]bool              // Secrets of compose `secrets:` already created
	// podTemplates indexes the pod templates of c.b.Objects[:podTemplatesIndexed] by service (backup.go).
	podTemplates        map[string][]*corev1.PodTemplateSpec
	podTemplatesIndexed int
	objs                *objectIndex         // index(): objects by name and service (objindex.go)
	names               []string             // serviceNames(), sorted once
	ports               map[string][]svcPort // portsOfService() by service
	podPortsOf          map[string][]svcPort // podPorts() of the owners with guests
	keysBuf             *types.ServiceConfig // reportRest's buffer (serviceKeys)
	// envResolved and envErr are what environment() returns, resolved once.
	envResolved *Environment
	envErr      error
}

// Convert turns a loaded project into Kubernetes objects. It does no I/O.
func Convert(p *types.Project, o Options) (*Bundle, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: no project", ErrInvalidProject)
	}
	if o.Env == "" {
		o.Env = "local"
	}
	if o.WaitImage == "" {
		o.WaitImage = DefaultWaitImage
	}
	if o.ImageTag == "" {
		o.ImageTag = "latest"
	}
	c := &converter{p: p, opts: o, project: DNSName(p.Name)}
	c.namespace = o.Namespace
	if c.namespace == "" {
		c.namespace = c.project
	}
	c.b = &Bundle{Project: c.project, Namespace: c.namespace}
	c.rep = &c.b.Report
	c.rep.services = len(p.Services)
	if err := c.run(); err != nil {
		return nil, err
	}
	atOnce(len(p.Services), func() { sortObjects(c.b.Objects) }, c.rep.sort)
	return c.b, nil
}

func (c *converter) run() error {
	if err := c.checkNames(); err != nil {
		return err
	}
	c.podOwner = podOwners(c.p)
	c.guests = guestsByOwner(c.podOwner)
	c.volumeSharers = c.findVolumeSharers()
	c.anchors = c.volumeAnchors()
	c.indexPorts()
	c.completedDeps = completedDependencies(c.p)
	c.addNamespace()
	if err := c.convertTopLevel(); err != nil {
		return err
	}
	if err := c.convertServices(); err != nil {
		return err
	}
	c.addAliases()
	c.reportDependencyOrder()
	return c.productionLayer()
}

// productionLayer adds what surrounds the workloads in production: the
// environment's knobs, firewalls, backups and observability. Each lives in
// its own file.
func (c *converter) productionLayer() error {
	for _, step := range []func() error{c.networkPolicies, c.backups, c.observability, c.applyEnvironment} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// serviceNames returns active service names in a stable order, sorted once
// (a dozen steps walk them); callers must not modify the slice.
func (c *converter) serviceNames() []string {
	if c.names == nil {
		c.names = sortedKeys(c.p.Services)
	}
	return c.names[:len(c.names):len(c.names)]
}

// checkNames refuses two compose names that sanitise to the same Kubernetes name.
func (c *converter) checkNames() error {
	seen := make(map[string]string, len(c.p.Services))
	for _, n := range c.serviceNames() {
		k := DNSName(n)
		if other, ok := seen[k]; ok {
			return fmt.Errorf("%w: services %q and %q both become %q in Kubernetes; rename one", ErrInvalidProject, other, n, k)
		}
		seen[k] = n
	}
	return nil
}

func (c *converter) add(o Object) {
	if c.b.Objects == nil {
		c.b.Objects = make([]Object, 0, 4*len(c.p.Services)+16) // a few per service; saves regrowing
	}
	c.b.Objects = append(c.b.Objects, o)
}
