package promote

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"berth/convert"
	"berth/store"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Sentinel errors callers branch on.
var (
	// ErrRefused: a gate refused the promotion (the message says which and
	// which flag overrides it).
	ErrRefused = errors.New("promotion refused")
	// ErrNotConfirmed: the user answered no, or there was no terminal to ask.
	ErrNotConfirmed = errors.New("promotion not confirmed")
	// ErrRolledBack: the rollout failed and the previous promotion was re-applied.
	ErrRolledBack = errors.New("rollout failed; rolled back")
	// ErrRolloutFailed: the rollout failed and there was nothing to roll back to.
	ErrRolloutFailed = errors.New("rollout failed")
)

// Allow holds the gate overrides; each is a command-line flag.
type Allow struct {
	DataLoss       bool // --allow-data-loss: delete or replace PVCs, StatefulSets with volumes
	Untested       bool // --allow-untested: compose content or commit not run locally with all services ready
	LocalCluster   bool // --allow-local-cluster: the target is the local kind cluster
	MissingSecrets bool // --allow-missing-secrets: a referenced Secret key has no value anywhere
	Unpinned       bool // --allow-unpinned: an image's registry cannot be reached to pin it by digest
}

// Options configure a promotion.
type Options struct {
	Load       convert.LoadOptions
	Env        string // environment to render; default "prod"
	Kubeconfig string // path; "" means $KUBECONFIG or ~/.kube/config
	Context    string // kubeconfig context of the target (required)
	Namespace  string // default: the project's namespace
	Registry   string // overrides the environment's registry knob for built images
	WaitImage  string // image of the depends_on init containers (default convert's)
	DryRun     bool   // plan only: nothing is pushed, created or changed
	Allow      Allow
	Timeout    time.Duration // wait for the rollout; default 5 min
	// RollbackTimeout bounds the wait for the previous version after a
	// failed rollout; default Timeout.
	RollbackTimeout time.Duration

	Store *store.Store // audit trail and local runs (required)
	Out   io.Writer    // plan and progress; default io.Discard

	// Confirm is asked once the plan is printed; nil or false refuses with
	// ErrNotConfirmed. The command wires it to a y/N prompt, or to --yes.
	Confirm func(*Plan) (bool, error)

	// Images reads an image the local docker has; default daemon.Image.
	Images LocalImages
	// Keychain authenticates to registries; default authn.DefaultKeychain
	// (the user's docker credentials).
	Keychain authn.Keychain
	// Transport for registry requests; default http.DefaultTransport. Tests
	// route every registry to an in-process one with it.
	Transport http.RoundTripper

	// EditObjects, when set, changes the rendered objects before anything
	// else sees them. It exists for tests (e.g. to make a rollout fail on the
	// test control plane) and for programs embedding promote.
	EditObjects func([]convert.Object) []convert.Object
}

// LocalImages reads images from the local image store (docker).
type LocalImages interface {
	Image(ctx context.Context, ref string) (v1.Image, error)
}

// Result is what a promotion did.
type Result struct {
	Plan        *Plan
	PromotionID int64 // 0 when nothing was recorded (dry run, refused, nothing changes)
	Outcome     store.PromotionResult
	Duration    time.Duration
}

func (o *Options) defaults() {
	if o.Env == "" {
		o.Env = "prod"
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.RollbackTimeout == 0 {
		o.RollbackTimeout = o.Timeout
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Images == nil {
		o.Images = daemonImages{}
	}
	if o.Keychain == nil {
		o.Keychain = authn.DefaultKeychain
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
}

// Promote plans, checks the gates, asks for confirmation and rolls out.
// The returned Result is non-nil whenever a plan was made, even with an error.
func Promote(ctx context.Context, o Options) (*Result, error) {
	o.defaults()
	if o.Store == nil || o.Context == "" {
		return nil, errors.New("promote: a store and a target context are required")
	}
	start := time.Now()
	p, err := MakePlan(ctx, &o)
	if err != nil {
		return nil, err
	}
	res := &Result{Plan: p}
	p.Print(o.Out)
	if err := p.Refusal(); err != nil {
		if !o.DryRun {
			// A refused promotion is part of the audit trail too.
			rec := p.record(start)
			rec.Result, rec.Error = store.PromotionFailed, err.Error()
			res.Outcome = rec.Result
			res.PromotionID, _ = o.Store.RecordPromotion(context.WithoutCancel(ctx), rec)
		}
		return res, err
	}
	if o.DryRun {
		return res, nil
	}
	if p.NothingChanges() {
		return res, nil
	}
	ok := false
	if o.Confirm != nil {
		if ok, err = o.Confirm(p); err != nil {
			return res, err
		}
	}
	if !ok {
		return res, ErrNotConfirmed
	}
	err = p.rollout(ctx, &o, start, res)
	res.Duration = time.Since(start)
	return res, err
}

// runtimeObjects converts typed objects for the kube client.
func runtimeObjects(objs []convert.Object) []runtime.Object {
	out := make([]runtime.Object, len(objs))
	for i, o := range objs {
		out[i] = o
	}
	return out
}
