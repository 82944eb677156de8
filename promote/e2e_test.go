package promote

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"berth/convert"
	"berth/internal/testcluster"
	"berth/store"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestPromoteEndToEnd walks one project through the promotions the issue
// asks for, against the test control plane (a real API server with kwok
// nodes): dry run, first promotion, one service changed, nothing changed,
// a blue-green switch, a broken rollout rolled back, a refused data loss,
// history and rollback.
func TestPromoteEndToEnd(t *testing.T) {
	e := newE2E(t)
	ctx := context.Background()
	v := composeVars{LogLevel: "info", APIFlag: "a", WithDB: true}
	e.write(v, false)
	e.seedImages()

	t.Run("dry run changes nothing", func(t *testing.T) {
		res, err := e.promote(func(o *Options) { o.DryRun = true })
		if err != nil {
			t.Fatal(err)
		}
		if created, _, _ := res.Plan.Counts(); created == 0 || res.PromotionID != 0 {
			t.Errorf("dry run: %d created, promotion %d", created, res.PromotionID)
		}
		if _, err := e.client.Typed.CoreV1().Namespaces().Get(ctx, e.namespace, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("a dry run created the namespace (err %v)", err)
		}
	})

	var first *Result
	t.Run("first promotion creates everything", func(t *testing.T) {
		res, err := e.promote(nil)
		if err != nil {
			t.Fatal(err)
		}
		first = res
		sum := res.Plan.Summary()
		if res.Outcome != store.PromotionSucceeded || len(sum.Changed) != 0 || len(sum.Created) != len(res.Plan.Objects) {
			t.Fatalf("outcome %s, summary %+v for %d objects", res.Outcome, sum, len(res.Plan.Objects))
		}
		ann := e.liveAnnotations("Deployment", "web")
		if ann[AnnotationPromotionID] != strconv.FormatInt(res.PromotionID, 10) || ann[AnnotationManifestHash] != res.Plan.ManifestHash {
			t.Errorf("audit annotations %v, want promotion %d", ann, res.PromotionID)
		}
		dep := e.deployment("web")
		if img := dep.Spec.Template.Spec.Containers[0].Image; !strings.Contains(img, "@sha256:") {
			t.Errorf("live image %q is not pinned by digest", img)
		}
		if u := dep.Spec.Strategy.RollingUpdate.MaxUnavailable; u == nil || u.IntValue() != 0 {
			t.Errorf("web has a readiness check but maxUnavailable %v, want 0", u)
		}
		worker := e.deployment("worker").Spec.Template.Spec.Containers[0].Image
		ref, _ := name.ParseReference(worker)
		if _, err := remote.Head(ref, remote.WithTransport(e.tr)); err != nil || !strings.HasPrefix(worker, "registry.test/shop/") {
			t.Errorf("built image %s not pushed to the registry: %v", worker, err)
		}
	})

	t.Run("untested content is refused", func(t *testing.T) {
		e.write(composeVars{LogLevel: "debug", APIFlag: "a", WithDB: true}, true)
		_, err := e.promote(func(o *Options) { o.DryRun = true })
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "--allow-untested") {
			t.Fatalf("err = %v, want the tested gate's refusal", err)
		}
	})

	t.Run("one service changed changes only it", func(t *testing.T) {
		v.LogLevel = "debug"
		e.write(v, false)
		res, err := e.promote(nil)
		if err != nil {
			t.Fatal(err)
		}
		sum := res.Plan.Summary()
		if len(sum.Changed) != 1 || sum.Changed[0] != "Deployment/"+e.namespace+"/web" || len(sum.Created)+len(sum.Pruned) != 0 {
			t.Fatalf("summary %+v, want only Deployment web changed", sum)
		}
		if !strings.Contains(e.out.String(), `LOG_LEVEL`) {
			t.Errorf("the plan does not show the field-level change:\n%s", e.out.String())
		}
		if got := envOf(e.deployment("web"), "LOG_LEVEL"); got != "debug" {
			t.Errorf("live LOG_LEVEL %q", got)
		}
	})

	t.Run("nothing changes", func(t *testing.T) {
		res, err := e.promote(nil)
		if err != nil || !res.Plan.NothingChanges() || res.PromotionID != 0 {
			t.Fatalf("err %v, plan %+v", err, res.Plan.Summary())
		}
		if !strings.Contains(e.out.String(), "nothing changes") {
			t.Errorf("output does not say nothing changes:\n%s", e.out.String())
		}
	})

	t.Run("blue-green switches the Service after the new colour is ready", func(t *testing.T) {
		if sel := e.service("api").Spec.Selector[LabelColor]; sel != "blue" {
			t.Fatalf("api selects %q before, want blue", sel)
		}
		v.APIFlag = "b"
		e.write(v, false)
		res, err := e.promote(nil)
		if err != nil {
			t.Fatal(err)
		}
		sum := res.Plan.Summary()
		ns := e.namespace
		if !slices.Equal(sum.Created, []string{"Deployment/" + ns + "/api-green"}) || !slices.Equal(sum.Changed, []string{"Service/" + ns + "/api"}) ||
			!slices.Equal(sum.Pruned, []string{"Deployment/" + ns + "/api-blue"}) {
			t.Fatalf("summary %+v", sum)
		}
		if sel := e.service("api").Spec.Selector[LabelColor]; sel != "green" {
			t.Errorf("api selects %q after, want green", sel)
		}
		if _, err := e.client.Typed.AppsV1().Deployments(ns).Get(ctx, "api-blue", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("old colour not deleted: %v", err)
		}
	})

	t.Run("a broken rollout rolls back", func(t *testing.T) {
		before := e.deployment("web")
		e.write(composeVars{LogLevel: "warn", APIFlag: v.APIFlag, WithDB: true}, false)
		res, err := e.promote(func(o *Options) {
			o.Timeout, o.RollbackTimeout = 15*time.Second, 3*time.Minute
			o.EditObjects = notReady("web")
		})
		if !errors.Is(err, ErrRolledBack) || res.Outcome != store.PromotionRolledBack {
			t.Fatalf("err = %v, outcome %v; want a rollback", err, res.Outcome)
		}
		if !strings.Contains(err.Error(), "Deployment/web") {
			t.Errorf("the error does not name the failing workload: %v", err)
		}
		after := e.deployment("web")
		if got := envOf(after, "LOG_LEVEL"); got != "debug" || after.Spec.Template.Labels[testcluster.NotReadyLabel] != "" {
			t.Errorf("after rollback LOG_LEVEL=%q labels=%v; want the previous template", got, after.Spec.Template.Labels)
		}
		if after.Status.AvailableReplicas < 1 || before.Spec.Template.Spec.Containers[0].Image != after.Spec.Template.Spec.Containers[0].Image {
			t.Errorf("previous version not serving: available %d", after.Status.AvailableReplicas)
		}
	})

	t.Run("removing the database is refused", func(t *testing.T) {
		e.write(composeVars{LogLevel: "debug", APIFlag: v.APIFlag}, false)
		_, err := e.promote(nil)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "--allow-data-loss") || !strings.Contains(err.Error(), "/db") {
			t.Fatalf("err = %v, want the data gate's refusal naming db", err)
		}
		if _, err := e.client.Typed.AppsV1().StatefulSets(e.namespace).Get(ctx, "db", metav1.GetOptions{}); err != nil {
			t.Errorf("db is gone: %v", err)
		}
	})

	t.Run("history shows all of it", func(t *testing.T) {
		list, err := e.st.ListPromotions(ctx, "shop", 0)
		if err != nil {
			t.Fatal(err)
		}
		var results []store.PromotionResult
		for _, p := range list {
			results = append(results, p.Result)
		}
		want := []store.PromotionResult{store.PromotionFailed, store.PromotionRolledBack, store.PromotionSucceeded, store.PromotionSucceeded, store.PromotionSucceeded}
		if !slices.Equal(results, want) || list[len(list)-1].ID != first.PromotionID {
			t.Fatalf("history results %v, want %v", results, want)
		}
		var b strings.Builder
		if err := WriteHistory(&b, list); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"rolled-back", "failed", e.context, "1 changed"} {
			if !strings.Contains(b.String(), s) {
				t.Errorf("history lacks %q:\n%s", s, b.String())
			}
		}
		t.Logf("history:\n%s", b.String())
	})

	t.Run("rollback goes to the previous successful promotion", func(t *testing.T) {
		id, err := Rollback(ctx, RollbackOptions{Store: e.st, Project: "shop", Kubeconfig: e.kubeconfig, Out: &e.out, Timeout: 3 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if sel := e.service("api").Spec.Selector[LabelColor]; sel != "blue" {
			t.Errorf("api selects %q after rollback, want blue (promotion before the blue-green switch)", sel)
		}
		if ann := e.liveAnnotations("Deployment", "web"); ann[AnnotationPromotionID] != strconv.FormatInt(id, 10) {
			t.Errorf("web promotion-id %q, want %d", ann[AnnotationPromotionID], id)
		}
	})
}

// notReady labels one service's pod template so that its pods never become
// ready on the test control plane (the stand-in for a broken image).
func notReady(service string) func([]convert.Object) []convert.Object {
	return func(objs []convert.Object) []convert.Object {
		for _, o := range objs {
			if d, ok := o.(*appsv1.Deployment); ok && d.Name == service {
				d.Spec.Template.Labels[testcluster.NotReadyLabel] = "true"
			}
		}
		return objs
	}
}
