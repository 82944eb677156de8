package main

import (
	"os"
	"time"

	"berth/localenv"

	"github.com/mattn/go-isatty"
	"github.com/spf13/pflag"
)

// localFlags are what every local-environment verb shares: the compose
// project and the cluster it runs on.
type localFlags struct {
	project   projectFlags
	cluster   string
	context   string
	nodeImage string
	output    string
	timeout   time.Duration
}

// register adds the flags; clusterFlag names the kind-cluster flag ("cluster",
// or "cluster-name" for `down`, whose --cluster deletes the cluster).
func (f *localFlags) register(fs *pflag.FlagSet, clusterFlag string) {
	f.project.register(fs)
	fs.StringVar(&f.cluster, clusterFlag, localenv.DefaultCluster, "kind cluster to run on (created when missing)")
	fs.StringVar(&f.context, "context", "", "use this kubeconfig context (an existing cluster: Docker Desktop, minikube...) instead of kind")
	fs.StringVar(&f.output, "output", "text", "progress format: text, or json (one event per line, for CI)")
	fs.DurationVar(&f.timeout, "timeout", 5*time.Minute, "how long to wait for services to be ready")
}

func (f *localFlags) upOptions() localenv.UpOptions {
	return localenv.UpOptions{
		Load:    f.project.loadOptions(),
		Cluster: localenv.ClusterOptions{Name: f.cluster, Context: f.context, NodeImage: f.nodeImage},
		Timeout: f.timeout,
	}
}

// printer subscribes a terminal printer to pub and returns a function that
// waits until it has printed everything published before the call.
func (f *localFlags) printer(pub *localenv.Publisher, logs bool) func() {
	p := &localenv.Printer{Out: os.Stderr, JSON: f.output == "json", Logs: logs,
		Color: isatty.IsTerminal(os.Stderr.Fd()) && os.Getenv("NO_COLOR") == ""}
	if logs {
		p.Out = os.Stdout
		p.Color = isatty.IsTerminal(os.Stdout.Fd()) && os.Getenv("NO_COLOR") == ""
	}
	ch, unsubscribe := pub.Subscribe(4096)
	done := make(chan struct{})
	go func() {
		p.Run(ch)
		close(done)
	}()
	return func() {
		unsubscribe()
		<-done
	}
}
