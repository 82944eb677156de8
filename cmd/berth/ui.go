package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"berth/localenv"
	"berth/web"

	"github.com/spf13/cobra"
)

// uiFlags choose whether and where the dashboard is served.
type uiFlags struct {
	port int
	off  bool
}

func (f *uiFlags) register(cmd *cobra.Command) {
	cmd.Flags().IntVar(&f.port, "ui-port", 7788, "port of the dashboard on 127.0.0.1")
	cmd.Flags().BoolVar(&f.off, "no-ui", false, "do not serve the dashboard")
}

// serveUI starts the dashboard for a session and returns its URL (with the
// session token). It monitors the services' status while ctx lasts.
func serveUI(ctx context.Context, s *localenv.Session, rec *recording, port int) (string, error) {
	o := web.Options{Source: web.SessionSource{S: s}}
	if rec != nil && rec.st != nil {
		adapter := &web.StoreAdapter{Store: rec.st, Project: s.Project, RunID: rec.runID()}
		o.Logs, o.History = adapter, adapter
	}
	srv, err := web.New(o)
	if err != nil {
		return "", err
	}
	ln, err := srv.Listen(net.JoinHostPort("127.0.0.1", fmt.Sprint(port)))
	if err != nil {
		return "", fmt.Errorf("dashboard: %w (choose another with --ui-port, or --no-ui)", err)
	}
	// the first page lists every service: read their status before the URL
	// is printed (`up -d` prints it as soon as the background process serves)
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	_ = s.RefreshStatus(rctx) // on failure Monitor retries
	cancel()
	go func() { _ = srv.Serve(ctx, ln) }()
	go s.Monitor(ctx, 2*time.Second)
	return srv.URL(ln.Addr()), nil
}

// startUI serves the dashboard and prints its URL; a dashboard that cannot
// start is reported, not fatal: `up` goes on without it.
func startUI(ctx context.Context, s *localenv.Session, rec *recording, port int, pub *localenv.Publisher) {
	url, err := serveUI(ctx, s, rec, port)
	if err != nil {
		pub.Publish(localenv.Event{Kind: localenv.EventFailing, Message: err.Error()})
		return
	}
	pub.Publish(localenv.Event{Kind: localenv.EventInfo, Message: "dashboard: " + url})
}

// NewUICommand serves the dashboard of an environment already running.
func NewUICommand() *cobra.Command {
	o := &localFlags{}
	ui := &uiFlags{}
	cmd := &cobra.Command{
		Use:   "ui [flags]",
		Short: "Open the live dashboard of a running project",
		Long: `UI prints the dashboard's URL (with its session token) for a project started with
'berth up --detach', whose background process serves it; for a project running without
one, it serves the dashboard itself until Ctrl-C.`,
		Example: `  berth ui
  berth ui -f examples/demo/compose.yaml --ui-port 7790`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pub := localenv.NewPublisher()
			flush := o.printer(pub, false)
			defer flush()
			s, err := localenv.Open(ctx, o.upOptions(), pub)
			if err != nil {
				return err
			}
			if d, err := localenv.ReadDaemon(s.Project); err == nil && d.UI != "" {
				pub.Publish(localenv.Event{Kind: localenv.EventInfo, Message: "dashboard: " + d.UI})
				return nil
			}
			rec := &recording{st: openStore(ctx)}
			defer rec.close()
			url, err := serveUI(ctx, s, rec, ui.port)
			if err != nil {
				return err
			}
			pub.Publish(localenv.Event{Kind: localenv.EventInfo, Message: "dashboard: " + url + " (Ctrl-C stops it)"})
			go s.WatchK8sEvents(ctx)
			go func() { _ = s.StreamLogs(ctx, localenv.LogOptions{Follow: true, TailLines: 200}) }()
			<-ctx.Done()
			return nil
		},
	}
	o.register(cmd.Flags(), "cluster")
	ui.register(cmd)
	return cmd
}
