package promote

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"berth/convert"
	"berth/internal/kube"
	"berth/render"

	"github.com/compose-spec/compose-go/v2/types"
)

// Plan is what a promotion would do, with the gates' verdicts. It holds no
// secret value in anything it prints or records.
type Plan struct {
	Project, Namespace, Env, Context string
	ComposeHash, GitCommit           string
	ManifestHash                     string // sha256 of Manifests
	Manifests                        []byte // YAML applied, Secrets without values (what the store keeps)

	Objects []convert.Object // to apply, images pinned, blue-green transformed, Secrets without values
	Images  []ImagePin
	Diffs   []kube.ObjectDiff
	Replace []Replacement    // objects the server refuses to change in place
	Pruned  []kube.ObjectRef // live objects of earlier promotions that this one no longer has
	Gates   []Verdict
	Notes   []string // what the plan could not check and why

	NamespaceExists  bool // false in a dry run against a cluster without the namespace
	namespaceCreated bool // by this plan, so the Namespace object counts as created

	client         *kube.Client
	loaded         *convert.Loaded
	secrets        secretValues        // filled from sources or the live Secrets; memory only
	missingSecrets []string            // Secret keys or Secrets with no value anywhere
	blueGreen      []blueGreenSwitch   // Services switched once the new colour is ready
	rejected       []string            // objects the server's dry run refused (other than replacement), and why
	digests        map[string]string   // rendered image → pinned reference
	workloads      map[string][]string // compose service → workload refs, for progress lines
}

// Selector selects what berth promoted for the project, and nothing else.
func (p *Plan) Selector() string {
	return convert.LabelPartOf + "=" + p.Project + "," + convert.LabelManagedBy + "=" + convert.ManagedBy
}

// MakePlan renders the environment, pins images (pushing built ones unless
// DryRun), makes sure the namespace exists (not in a dry run), dry-runs and
// diffs every object against the target, lists what would be pruned and
// checks the gates.
func MakePlan(ctx context.Context, o *Options) (*Plan, error) {
	o.defaults()
	p := &Plan{Env: o.Env, Context: o.Context, secrets: secretValues{}}
	bundle, local, err := p.render(ctx, o)
	if err != nil {
		return nil, err
	}
	if p.client, err = kube.NewClient(o.Kubeconfig, o.Context); err != nil {
		return nil, fmt.Errorf("target cluster: %w", err)
	}
	if err := p.prepareNamespace(ctx, o.DryRun); err != nil {
		return nil, err
	}
	objs := bundle.Objects
	if o.EditObjects != nil {
		objs = o.EditObjects(objs)
	}
	p.Objects = objs
	if err := p.pinImages(ctx, o, bundle, local); err != nil {
		return nil, err
	}
	// After pinning: blue-green compares the pinned Deployment with the live one.
	if p.Objects, err = p.blueGreenTransform(ctx, bundle, p.Objects); err != nil {
		return nil, err
	}
	p.indexWorkloads()
	if err := p.stabilizeClaimTemplates(ctx); err != nil {
		return nil, err
	}
	if err := p.fillSecrets(ctx, bundle); err != nil {
		return nil, err
	}
	if err := p.diff(ctx); err != nil {
		return nil, err
	}
	if err := p.findPrunes(ctx); err != nil {
		return nil, err
	}
	if err := p.manifests(); err != nil {
		return nil, err
	}
	p.checkGates(ctx, o)
	return p, nil
}

// render loads the compose files and converts them for the target
// environment, and for local (whose image names are what `berth up` built).
func (p *Plan) render(ctx context.Context, o *Options) (target, local *convert.Bundle, err error) {
	loaded, err := convert.Load(ctx, o.Load)
	if err != nil {
		return nil, nil, err
	}
	p.loaded = loaded
	p.ComposeHash = loaded.ComposeHash
	p.GitCommit = GitCommit(loaded.Project.WorkingDir)
	if o.Registry != "" {
		if err := setRegistry(loaded.Project, o.Env, o.Registry); err != nil {
			return nil, nil, err
		}
	}
	opts := loaded.Options()
	opts.Env, opts.Namespace, opts.GitCommit, opts.WaitImage = o.Env, o.Namespace, p.GitCommit, o.WaitImage
	if target, err = convert.Convert(loaded.Project, opts); err != nil {
		return nil, nil, err
	}
	opts.Env = "local"
	if local, err = convert.Convert(loaded.Project, opts); err != nil {
		return nil, nil, err
	}
	p.Project, p.Namespace = target.Project, target.Namespace
	return target, local, nil
}

// prepareNamespace creates the namespace, because a namespaced dry run fails
// without it. A dry run changes nothing on the target: when the namespace is
// missing, its objects are shown as created from their local form, with a
// note that the server did not validate them.
func (p *Plan) prepareNamespace(ctx context.Context, dryRun bool) error {
	if dryRun {
		exists, err := p.client.NamespaceExists(ctx, p.Namespace)
		if err != nil {
			return err
		}
		p.NamespaceExists = exists
		if !exists {
			p.Notes = append(p.Notes, fmt.Sprintf("namespace %s does not exist yet and a dry run creates nothing: its objects are listed from their rendered form, not validated by the server", p.Namespace))
		}
		return nil
	}
	created, err := p.client.EnsureNamespace(ctx, p.Namespace, map[string]string{
		convert.LabelPartOf: p.Project, convert.LabelManagedBy: convert.ManagedBy,
	})
	p.NamespaceExists, p.namespaceCreated = err == nil, created
	return err
}

// manifests renders the objects to apply as YAML (Secrets without values)
// and hashes them.
func (p *Plan) manifests() error {
	y, err := render.Stream(p.Objects)
	if err != nil {
		return fmt.Errorf("render manifests: %w", err)
	}
	sum := sha256.Sum256(y)
	p.Manifests, p.ManifestHash = y, hex.EncodeToString(sum[:])
	return nil
}

// indexWorkloads remembers each service's workloads for progress lines.
func (p *Plan) indexWorkloads() {
	p.workloads = map[string][]string{}
	for _, o := range p.Objects {
		if convert.IsWorkloadKind(convert.Kind(o)) {
			svc := o.GetAnnotations()[convert.AnnotationService]
			p.workloads[svc] = append(p.workloads[svc], convert.Kind(o)+"/"+o.GetName())
		}
	}
}

// setRegistry sets x-berth.environments.<env>.registry, which is the
// environment knob --registry overrides.
func setRegistry(p *types.Project, env, registry string) error {
	if p.Extensions == nil {
		p.Extensions = types.Extensions{}
	}
	exts := p.Extensions
	ext := map[string]any{}
	if raw, ok := exts[convert.ExtensionKey]; ok && raw != nil {
		data, err := json.Marshal(raw)
		if err != nil {
			return fmt.Errorf("x-berth: %w", err)
		}
		if err := json.Unmarshal(data, &ext); err != nil {
			return fmt.Errorf("x-berth: %w", err)
		}
	}
	envs, _ := ext["environments"].(map[string]any)
	if envs == nil {
		envs = map[string]any{}
	}
	e, _ := envs[env].(map[string]any)
	if e == nil {
		e = map[string]any{}
	}
	e["registry"] = registry
	envs[env] = e
	ext["environments"] = envs
	exts[convert.ExtensionKey] = ext
	return nil
}
