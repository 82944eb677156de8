package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"berth/localenv"

	"github.com/spf13/cobra"
)

type upOptions struct {
	local    localFlags
	ui       uiFlags
	runID    int64
	detach   bool
	noBuild  bool
	hold     bool
	waitImg  string
	buildLog bool
}

// NewUpCommand runs the project on a local kind cluster.
func NewUpCommand() *cobra.Command {
	o := &upOptions{}
	cmd := &cobra.Command{
		Use:   "up [flags]",
		Short: "Run the project on a local kind cluster, as production would run it",
		Long: `Up runs exactly the manifests 'berth convert --env local' prints, on a local kind cluster:
it creates the cluster when needed (one per machine, "berth"), builds every service with
'build:' and loads the images into the cluster (images your docker already has are loaded
too, so nothing is pulled twice), creates the namespace and the Secrets from .env, env_file
and secret files, applies everything and prunes what the compose files no longer have,
waits until every service is ready, and forwards each published port to the same port on
localhost, as compose does.

In the foreground it then streams every service's logs and watches the build contexts:
a saved file rebuilds and rolls only its service; a changed compose file is converted and
applied again. Ctrl-C stops watching and leaves the environment running.

With --detach it returns once everything is ready; a background berth process keeps the
ports forwarded until 'berth down'.`,
		Example: `  berth up                          # compose.yaml here: build, run, forward, follow logs
  berth up -d                       # run in the background (ports stay forwarded)
  berth up -f examples/demo/compose.yaml --output json
  berth up --context docker-desktop # an existing cluster instead of kind`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.hold {
				return o.runHold(cmd.Context())
			}
			return o.run(cmd.Context())
		},
	}
	o.local.register(cmd.Flags(), "cluster")
	cmd.Flags().BoolVarP(&o.detach, "detach", "d", false, "return once ready; ports stay forwarded by a background process until `berth down`")
	cmd.Flags().BoolVar(&o.noBuild, "no-build", false, "do not build images; use the ones already built")
	cmd.Flags().StringVar(&o.local.nodeImage, "node-image", "", "kind node image for a new cluster (default: $BERTH_NODE_IMAGE, else kind's default)")
	cmd.Flags().StringVar(&o.waitImg, "wait-image", "", "image of the init containers that wait for depends_on (default: $BERTH_WAIT_IMAGE or busybox)")
	cmd.Flags().BoolVar(&o.buildLog, "build-log", false, "show docker build output")
	cmd.Flags().BoolVar(&o.hold, "hold", false, "run as the background process of --detach")
	cmd.Flags().Int64Var(&o.runID, "run-id", 0, "the run the background process continues")
	_ = cmd.Flags().MarkHidden("hold")
	_ = cmd.Flags().MarkHidden("run-id")
	o.ui.register(cmd)
	return cmd
}

func (o *upOptions) options() localenv.UpOptions {
	uo := o.local.upOptions()
	uo.NoBuild = o.noBuild
	uo.WaitImage = o.waitImg
	if uo.WaitImage == "" {
		uo.WaitImage = os.Getenv("BERTH_WAIT_IMAGE")
	}
	if o.buildLog {
		uo.BuildLog = os.Stderr
	}
	return uo
}

func (o *upOptions) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // an up that fails stops the dashboard and watches it started
	pub := localenv.NewPublisher()
	flush := o.local.printer(pub, !o.detach)
	defer flush()
	start := time.Now()
	s, err := localenv.Prepare(ctx, o.options(), pub)
	if err != nil {
		return err
	}
	rec := startRecording(ctx, s, 0)
	if err := o.deploy(ctx, s, func() { o.live(ctx, s, rec, pub) }); err != nil {
		rec.finish(err, false)
		return err
	}
	rec.ready(ctx)
	pub.Publish(localenv.Event{Kind: localenv.EventInfo, Message: fmt.Sprintf("all %d services ready in %s", len(s.Loaded.Project.Services), time.Since(start).Round(100*time.Millisecond))})
	if o.detach {
		return o.handOff(s, rec, pub)
	}
	defer rec.finish(nil, true)
	return o.serve(ctx, s, pub)
}

// stepper is the part of a localenv.Session deploy drives (a fake in tests).
type stepper interface {
	Connect(ctx context.Context) error
	Deploy(ctx context.Context) error
}

// deploy connects to the cluster and then builds, applies and waits. In the
// foreground, live (the dashboard and the Kubernetes events) starts in
// between, so the first `up` shows each service building, starting or
// failing while it waits, not only once everything is ready. With --detach
// the background process serves them once `up` hands over.
func (o *upOptions) deploy(ctx context.Context, s stepper, live func()) error {
	if err := s.Connect(ctx); err != nil {
		return err
	}
	if !o.detach {
		live()
	}
	return s.Deploy(ctx)
}

// live starts what follows the cluster while `up` runs in the foreground.
func (o *upOptions) live(ctx context.Context, s *localenv.Session, rec *recording, pub *localenv.Publisher) {
	go s.WatchK8sEvents(ctx)
	if !o.ui.off {
		startUI(ctx, s, rec, o.ui.port, pub)
	}
}

// handOff starts the background process that keeps the ports forwarded,
// the logs recorded and the dashboard served, and continues the run.
func (o *upOptions) handOff(s *localenv.Session, rec *recording, pub *localenv.Publisher) error {
	args := append(holdArgs(), "--run-id", fmt.Sprint(rec.runID()))
	rec.close()
	st, err := localenv.StartDaemon(s.Project, args, 60*time.Second)
	if err != nil {
		return err
	}
	printURLs(pub, st.URLs)
	if st.UI != "" {
		pub.Publish(localenv.Event{Kind: localenv.EventInfo, Message: "dashboard: " + st.UI})
	}
	pub.Publish(localenv.Event{Kind: localenv.EventInfo, Message: "running in the background; `berth logs`, `berth ps`, `berth ui`, `berth down`"})
	return nil
}

// serve forwards ports, streams logs and watches in the foreground until
// Ctrl-C (the dashboard started by live goes on).
func (o *upOptions) serve(ctx context.Context, s *localenv.Session, pub *localenv.Publisher) error {
	urls, _ := s.Forward(ctx)
	printURLs(pub, urls)
	go func() { _ = s.StreamLogs(ctx, localenv.LogOptions{Follow: true, TailLines: 20}) }()
	go func() { _ = s.Watch(ctx) }()
	<-ctx.Done()
	pub.Publish(localenv.Event{Kind: localenv.EventInfo, Message: "stopped watching and forwarding; the environment keeps running (`berth down` stops it)"})
	return nil
}

// runHold is the background process of --detach: it forwards the ports,
// records logs, serves the dashboard and watches until `berth down` stops it.
func (o *upOptions) runHold(ctx context.Context) error {
	pub := localenv.NewPublisher()
	flush := o.local.printer(pub, false)
	defer flush()
	s, err := localenv.Open(ctx, o.options(), pub)
	if err != nil {
		return err
	}
	rec := startRecording(ctx, s, o.runID)
	defer rec.finish(nil, true)
	urls, _ := s.Forward(ctx)
	state := localenv.DaemonState{PID: os.Getpid(), URLs: urls, Ready: true}
	if !o.ui.off {
		if url, err := serveUI(ctx, s, rec, o.ui.port); err == nil {
			state.UI = url
		} else {
			pub.Publish(localenv.Event{Kind: localenv.EventFailing, Message: err.Error()})
		}
	}
	if err := localenv.WriteDaemon(s.Project, state); err != nil {
		return err
	}
	go s.WatchK8sEvents(ctx)
	go func() { _ = s.StreamLogs(ctx, localenv.LogOptions{Follow: true, TailLines: 200}) }()
	go func() { _ = s.Watch(ctx) }()
	<-ctx.Done()
	return nil
}

// holdArgs are this command's arguments for the background process.
func holdArgs() []string {
	args := slices.DeleteFunc(slices.Clone(os.Args[1:]), func(a string) bool {
		return a == "-d" || a == "--detach" || strings.HasPrefix(a, "--detach=")
	})
	return append(args, "--hold", "--output", "json")
}

func printURLs(pub *localenv.Publisher, urls []string) {
	for _, u := range urls {
		pub.Publish(localenv.Event{Kind: localenv.EventInfo, Message: "published: " + u})
	}
}
