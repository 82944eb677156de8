package promote

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"berth/internal/kube"
	"berth/store"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// LocalContext is the kubeconfig context of the kind cluster `berth up` runs on.
const LocalContext = "kind-berth"

// Verdict is one gate's answer.
type Verdict struct {
	Gate       string // short name, e.g. "tested"
	OK         bool
	Overridden bool   // not OK, but its flag was given
	Flag       string // the flag that overrides it; "" when none can
	Message    string // why it refuses, or what it checked
}

func (v Verdict) blocks() bool { return !v.OK && !v.Overridden }

// checkGates runs every gate; none of them changes anything.
func (p *Plan) checkGates(ctx context.Context, o *Options) {
	run, runErr := o.Store.LastSuccessfulRun(ctx, p.Project)
	p.Gates = []Verdict{
		gateServer(p.rejected),
		gateTested(p.ComposeHash, p.GitCommit, run, runErr, o.Allow.Untested),
		gateDataLoss(p, o.Allow.DataLoss),
		gateLocalCluster(o.Context, p.serverURL(), p.kindNodes(ctx), o.Allow.LocalCluster),
		gateSecrets(p.missingSecrets, o.Allow.MissingSecrets),
		gateImages(p.Images, o.Allow.Unpinned),
	}
}

// Refusal returns an ErrRefused error naming every blocking gate, or nil.
func (p *Plan) Refusal() error {
	var msgs []string
	for _, v := range p.Gates {
		if v.blocks() {
			m := v.Message
			if v.Flag != "" {
				m += " (override: " + v.Flag + ")"
			}
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("%w:\n  - %s", ErrRefused, strings.Join(msgs, "\n  - "))
}

func verdict(gate, flag string, allowed bool, problem, ok string) Verdict {
	if problem == "" {
		return Verdict{Gate: gate, OK: true, Flag: flag, Message: ok}
	}
	return Verdict{Gate: gate, Overridden: allowed, Flag: flag, Message: problem}
}

func gateServer(rejected []string) Verdict {
	problem := ""
	if len(rejected) > 0 {
		problem = "the target's API server rejects: " + strings.Join(rejected, "; ")
	}
	return verdict("server", "", false, problem, "the target's API server accepts every object (server-side dry run)")
}

// gateTested: the compose content and commit promoted are the ones last run
// locally by `berth up` with every service ready.
func gateTested(hash, commit string, run store.Run, runErr error, allow bool) Verdict {
	const flag = "--allow-untested"
	var problem string
	switch {
	case errors.Is(runErr, store.ErrNotFound):
		problem = "this project never ran locally with every service ready; run `berth up` first"
	case runErr != nil:
		problem = fmt.Sprintf("cannot read the local runs: %v", runErr)
	case run.ComposeHash != hash:
		problem = fmt.Sprintf("the compose content (%s) is not what last ran locally with every service ready (%s, %s); run `berth up` with it first", short(hash), short(run.ComposeHash), run.Started.Format("2006-01-02 15:04"))
	case run.GitCommit != commit:
		problem = fmt.Sprintf("the git commit (%s) is not the one last run locally with every service ready (%s); run `berth up` on it first", orNone(commit), orNone(run.GitCommit))
	case strings.HasSuffix(commit, "-dirty"):
		problem = "" // the same uncommitted content ran locally: the hash says so
	}
	return verdict("tested", flag, allow, problem, fmt.Sprintf("compose %s at commit %s ran locally with every service ready (run %d)", short(hash), orNone(commit), run.ID))
}

// gateDataLoss: no PVC or StatefulSet with volumes (their data) is pruned
// or replaced.
func gateDataLoss(p *Plan, allow bool) Verdict {
	var losses []string
	for _, r := range p.Pruned {
		switch r.Kind {
		case "PersistentVolumeClaim", "Namespace":
			losses = append(losses, r.String()+" would be deleted")
		case "StatefulSet":
			if p.liveHasClaimTemplates(r) {
				losses = append(losses, r.String()+" (with volume claim templates) would be deleted")
			}
		}
	}
	for _, r := range p.Replace {
		if r.DataLoss {
			losses = append(losses, r.Ref.String()+" would be replaced (deleted and created again): "+r.Why)
		}
	}
	problem := ""
	if len(losses) > 0 {
		problem = "data would be lost: " + strings.Join(losses, "; ")
	}
	return verdict("data", "--allow-data-loss", allow, problem, "no volume, StatefulSet volume template or namespace is deleted or replaced")
}

func (p *Plan) liveHasClaimTemplates(r kube.ObjectRef) bool {
	st, err := p.client.Typed.AppsV1().StatefulSets(r.Namespace).Get(context.Background(), r.Name, metav1.GetOptions{})
	if err != nil {
		return true // unknown: assume it holds data
	}
	return hasClaimTemplates(st)
}

func hasClaimTemplates(st *appsv1.StatefulSet) bool { return len(st.Spec.VolumeClaimTemplates) > 0 }

// gateLocalCluster: the target is not the local kind cluster (its context,
// or a cluster whose nodes are kind's containers).
func gateLocalCluster(context, server string, kindNodes []string, allow bool) Verdict {
	problem := ""
	switch {
	case context == LocalContext:
		problem = fmt.Sprintf("context %s is the local kind cluster of `berth up`, not a production cluster", context)
	case len(kindNodes) > 0:
		problem = fmt.Sprintf("the target (%s) is a kind cluster (node %s): a local cluster, not a production one", server, kindNodes[0])
	}
	return verdict("target", "--allow-local-cluster", allow, problem, fmt.Sprintf("context %s (%s) is not a local kind cluster", context, server))
}

func (p *Plan) serverURL() string {
	if p.client == nil || p.client.Config == nil {
		return ""
	}
	return p.client.Config.Host
}

// kindNodes lists nodes run by kind (provider ID kind://...). A target that
// does not let us list nodes is not a kind cluster one created locally.
func (p *Plan) kindNodes(ctx context.Context) []string {
	nodes, err := p.client.Typed.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil
	}
	var out []string
	for _, n := range nodes.Items {
		if strings.HasPrefix(n.Spec.ProviderID, "kind://") {
			out = append(out, n.Name)
		}
	}
	return out
}

func gateSecrets(missing []string, allow bool) Verdict {
	problem := ""
	if len(missing) > 0 {
		problem = "secrets are missing: " + strings.Join(missing, "; ") + " (give them in .env, env_file, secret files or the environment, or create them in the target)"
	}
	return verdict("secrets", "--allow-missing-secrets", allow, problem, "every Secret the manifests use has its values (sources or target)")
}

func gateImages(pins []ImagePin, allow bool) Verdict {
	var bad []string
	for _, p := range pins {
		if p.Pinned == "" {
			bad = append(bad, p.Rendered+": "+p.Problem)
		}
	}
	problem := ""
	if len(bad) > 0 {
		problem = "images cannot be pinned by digest, and tags alone never reach production: " + strings.Join(bad, "; ")
	}
	return verdict("images", "--allow-unpinned", allow, problem, fmt.Sprintf("all %d images pinned by digest", len(pins)))
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return orNone(h)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
