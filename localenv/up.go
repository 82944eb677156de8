package localenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"berth/convert"
	"berth/internal/kube"
)

// UpOptions configure `berth up`.
type UpOptions struct {
	Load      convert.LoadOptions
	Cluster   ClusterOptions
	NoBuild   bool
	Timeout   time.Duration // how long to wait for every service to be ready
	WaitImage string        // image of the depends_on init containers
	BuildLog  io.Writer     // where docker build output goes (nil: discarded)
}

// Session is a project running on a cluster: what `up` set up, and what the
// watch loop, the log streams and the dashboard work from.
type Session struct {
	Opts      UpOptions
	Project   string
	Namespace string
	Cluster   *Cluster
	Loaded    *convert.Loaded
	Bundle    *convert.Bundle
	Pub       *Publisher
	tags      map[string]string // service → content tag of its built image
	snap      snapshots
	started   time.Time
	// mu guards Loaded and Bundle, which a reload or rebuild replaces while
	// Monitor and the dashboard read them from other goroutines (see View).
	mu sync.RWMutex
}

// Up converts the project for the local environment and runs it: cluster,
// images, namespace and secrets, apply and prune, then waits until every
// service is ready. Port-forwarding, logs and the watch loop are separate
// (Forward, StreamLogs, Watch) so `--detach` can hand them to a background
// process.
func Up(ctx context.Context, o UpOptions, pub *Publisher) (*Session, error) {
	s, err := Prepare(ctx, o, pub)
	if err != nil {
		return nil, err
	}
	return s, s.Run(ctx)
}

// Prepare loads and converts the project without touching any cluster.
func Prepare(ctx context.Context, o UpOptions, pub *Publisher) (*Session, error) {
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	s := &Session{Opts: o, Pub: pub, tags: map[string]string{}, started: time.Now()}
	s.snap.pending = true // until the first apply, a service not found is one still to start
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Run does the cluster part of Up for a prepared session: Connect, then
// Deploy.
func (s *Session) Run(ctx context.Context) error {
	if err := s.Connect(ctx); err != nil {
		return err
	}
	return s.Deploy(ctx)
}

// Connect creates the cluster when needed and sets s.Cluster. It is a step
// of its own so `up` can serve the dashboard (which reads the cluster)
// while Deploy builds and waits.
func (s *Session) Connect(ctx context.Context) error {
	c, err := EnsureCluster(ctx, s.clusterOptions(), s.Pub)
	if err != nil {
		return err
	}
	s.Cluster = c
	return nil
}

// Deploy builds and loads the images, applies and waits until every
// service is ready, on the cluster Connect set.
func (s *Session) Deploy(ctx context.Context) error {
	if err := s.images(ctx); err != nil {
		return err
	}
	if err := s.apply(ctx); err != nil {
		return err
	}
	return s.waitReady(ctx)
}

// View returns the loaded project and its conversion, which a reload or a
// rebuild replaces; goroutines other than the pipeline read them through it.
func (s *Session) View() (*convert.Loaded, *convert.Bundle) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.Loaded, s.Bundle
}

// load reads the compose files and converts them for the local environment.
func (s *Session) load(ctx context.Context) error {
	loaded, err := convert.Load(ctx, s.Opts.Load)
	if err != nil {
		return err
	}
	for _, w := range loaded.Warnings {
		s.Pub.Publish(Event{Kind: EventInfo, Message: "warning: " + w.String()})
	}
	s.mu.Lock()
	s.Loaded = loaded
	s.mu.Unlock()
	return s.reconvert()
}

// reconvert renders the local environment with the current image tags.
func (s *Session) reconvert() error {
	opts := s.Loaded.Options()
	opts.Env = "local"
	opts.WaitImage = s.Opts.WaitImage
	opts.ImageTags = s.tags
	opts.HostBinds = true
	b, err := convert.Convert(s.Loaded.Project, opts)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.Bundle, s.Project, s.Namespace = b, b.Project, b.Namespace
	s.mu.Unlock()
	s.Pub.Project = s.Project
	return nil
}

func (s *Session) clusterOptions() ClusterOptions {
	co := s.Opts.Cluster
	paths := []string{s.Loaded.Project.WorkingDir}
	for _, b := range s.Bundle.Binds {
		paths = append(paths, b.Source)
	}
	co.Mounts = mountRoots(paths)
	return co
}

// images builds every service with `build:` and loads it, and every other
// image the local docker already has, into the kind nodes.
func (s *Session) images(ctx context.Context) error {
	if !s.Cluster.IsKind() {
		return nil // a foreign cluster pulls from its registries
	}
	built := map[string]bool{}
	for _, ib := range s.Bundle.Images {
		if err := s.buildAndLoad(ctx, ib); err != nil {
			return err
		}
		built[ib.Service] = true
	}
	if err := s.reconvert(); err != nil {
		return err
	}
	return s.loadLocalImages(ctx, built)
}

func (s *Session) buildAndLoad(ctx context.Context, ib convert.ImageBuild) error {
	if s.Opts.NoBuild {
		return s.loadOne(ctx, ib.Service, ib.Image)
	}
	img, err := s.build(ctx, ib)
	if err != nil {
		return err
	}
	return s.loadOne(ctx, ib.Service, img)
}

// build builds one service's image and records its content tag.
func (s *Session) build(ctx context.Context, ib convert.ImageBuild) (string, error) {
	s.status(ib.Service, StateBuilding, "building "+ib.Image)
	s.Pub.Publish(Event{Service: ib.Service, Kind: EventBuild, Message: "build started: " + relTo(s.Loaded.Project.WorkingDir, ib.Context)})
	log := s.Opts.BuildLog
	if log == nil {
		log = io.Discard
	}
	bi, err := buildImage(ctx, ib, log)
	if err != nil {
		s.status(ib.Service, StateFailing, "build failed")
		return "", err
	}
	s.tags[ib.Service] = bi.Image[len(repository(bi.Image))+1:]
	s.snap.built(ib.Service, time.Now())
	s.Pub.Publish(Event{Service: ib.Service, Kind: EventBuild, Message: fmt.Sprintf("built %s in %s", bi.Image, bi.Took.Round(100*time.Millisecond))})
	return bi.Image, nil
}

func (s *Session) loadOne(ctx context.Context, service, image string) error {
	s.status(service, StateLoading, "loading "+image)
	start := time.Now()
	found, err := s.Cluster.loadImage(ctx, image)
	if err != nil {
		return err
	}
	if found {
		s.Pub.Publish(Event{Service: service, Kind: EventLoad, Message: fmt.Sprintf("image %s loaded into the cluster in %s", image, time.Since(start).Round(100*time.Millisecond))})
	}
	return nil
}

// loadLocalImages loads the images of services without `build:` that the
// local docker has, so nothing is pulled that the developer already has.
func (s *Session) loadLocalImages(ctx context.Context, built map[string]bool) error {
	seen := map[string]bool{s.Opts.WaitImage: false}
	for _, name := range sortedServices(s.Loaded.Project) {
		svc := s.Loaded.Project.Services[name]
		if built[name] || svc.Image == "" || seen[svc.Image] {
			continue
		}
		seen[svc.Image] = true
		if err := s.loadOne(ctx, name, svc.Image); err != nil {
			return err
		}
	}
	wait := s.Opts.WaitImage
	if wait == "" {
		wait = convert.DefaultWaitImage
	}
	_, err := s.Cluster.loadImage(ctx, wait)
	return err
}

// Selector selects the objects of the project.
func (s *Session) Selector() string {
	return convert.LabelPartOf + "=" + s.Project + "," + convert.LabelManagedBy + "=" + convert.ManagedBy
}

// ServiceSelector selects the pods of one service.
func (s *Session) ServiceSelector(service string) string {
	return convert.LabelName + "=" + convert.DNSName(service) + "," + convert.LabelPartOf + "=" + s.Project
}

// status publishes a state the pipeline is in (building, loading, build
// failed) with everything else already known about the service; Monitor
// keeps showing it until the service is applied.
func (s *Session) status(service string, state ServiceState, reason string) {
	st := s.snap.update(s.baseStatus(service), state, reason, true)
	s.Pub.Publish(Event{Service: service, Kind: EventStatus, Status: &st})
}

func relTo(base, p string) string {
	if r, err := filepath.Rel(base, p); err == nil {
		return "./" + r
	}
	return p
}

// ErrNotReady is returned when services do not become ready in time.
var ErrNotReady = errors.New("services not ready")

var _ = kube.FieldManager
