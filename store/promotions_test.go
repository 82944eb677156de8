package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestPromotionsAudit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, Options{})
	if _, err := s.LastSuccessfulPromotion(ctx, "shop", "prod"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty store: %v, want ErrNotFound", err)
	}
	first := Promotion{
		Project: "shop", User: "ana", Host: "laptop", Started: fixedTime, Duration: 42 * time.Second,
		Context: "prod", Namespace: "shop", Env: "prod", GitCommit: "c1", ComposeHash: "h1", ManifestHash: "m1",
		ImageDigests: map[string]string{"registry.example/web:1": "sha256:aaa"},
		Diff:         DiffSummary{Created: []string{"Deployment/shop/web", "Service/shop/web"}},
		Result:       PromotionSucceeded, Manifests: []byte("apiVersion: v1\nkind: Service\n"),
	}
	id1, err := s.RecordPromotion(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	broken := first
	broken.GitCommit, broken.Result, broken.Error = "c2", PromotionRolledBack, "web: ImagePullBackOff"
	broken.Manifests = []byte("broken")
	id2, _ := s.RecordPromotion(ctx, broken)
	staging := first
	staging.Context = "staging"
	if _, err := s.RecordPromotion(ctx, staging); err != nil {
		t.Fatal(err)
	}

	last, err := s.LastSuccessfulPromotion(ctx, "shop", "prod")
	if err != nil {
		t.Fatal(err)
	}
	first.ID = id1
	if !reflect.DeepEqual(normalize(last), normalize(first)) {
		t.Errorf("LastSuccessfulPromotion =\n%+v\nwant\n%+v", last, first)
	}
	got, err := s.GetPromotion(ctx, id2)
	if err != nil || got.Result != PromotionRolledBack || got.Error == "" || string(got.Manifests) != "broken" {
		t.Errorf("GetPromotion(%d) = %+v, %v", id2, got, err)
	}
	list, err := s.ListPromotions(ctx, "shop", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[1].ID != id2 || list[2].Context != "prod" {
		t.Errorf("ListPromotions: %+v", list)
	}
	for _, p := range list {
		if p.Manifests != nil {
			t.Errorf("ListPromotions loaded manifests of %d", p.ID)
		}
	}
	if _, err := s.GetPromotion(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetPromotion(999): %v, want ErrNotFound", err)
	}
	if _, err := s.RecordPromotion(ctx, Promotion{Project: "shop"}); err == nil {
		t.Error("promotion without context and result recorded")
	}
}

func normalize(p Promotion) Promotion {
	p.Started = p.Started.UTC()
	return p
}
