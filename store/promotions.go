package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// PromotionResult is how a promotion ended.
type PromotionResult string

// Promotion results.
const (
	PromotionSucceeded  PromotionResult = "succeeded"
	PromotionFailed     PromotionResult = "failed"      // failed and nothing was rolled back (e.g. refused, or first promotion)
	PromotionRolledBack PromotionResult = "rolled-back" // failed and the previous promotion's manifests were re-applied
)

// DiffSummary is what a promotion changed on the target, by object
// ("Kind/namespace/name").
type DiffSummary struct {
	Created   []string `json:"created,omitempty"`
	Changed   []string `json:"changed,omitempty"`
	Pruned    []string `json:"pruned,omitempty"`
	Unchanged int      `json:"unchanged,omitempty"`
}

// Promotion is one audit record of `berth promote` (or `berth rollback`).
type Promotion struct {
	ID           int64 // set by the store
	Project      string
	User         string
	Host         string
	Started      time.Time
	Duration     time.Duration
	Context      string // target kubeconfig context
	Namespace    string
	Env          string
	GitCommit    string
	ComposeHash  string
	ManifestHash string
	ImageDigests map[string]string // image reference as rendered -> pinned digest
	Diff         DiffSummary
	Result       PromotionResult
	Error        string // why it failed, when it did
	// Manifests is the YAML stream applied, so rollback can re-apply it. It is
	// only loaded by GetPromotion and LastSuccessfulPromotion, never by lists.
	Manifests []byte
}

// RecordPromotion stores an audit record and returns its id.
func (s *Store) RecordPromotion(ctx context.Context, p Promotion) (int64, error) {
	if p.Project == "" || p.Context == "" || p.Result == "" {
		return 0, errors.New("store: record promotion: project, context and result are required")
	}
	digests, err := json.Marshal(p.ImageDigests)
	if err != nil {
		return 0, fmt.Errorf("store: record promotion: image digests: %w", err)
	}
	diff, err := json.Marshal(p.Diff)
	if err != nil {
		return 0, fmt.Errorf("store: record promotion: diff summary: %w", err)
	}
	started := p.Started
	if started.IsZero() {
		started = time.Now()
	}
	res, err := s.writer.ExecContext(ctx, `INSERT INTO promotions(project, user, host, started_at, duration_ns,
		context, namespace, env, git_commit, compose_hash, manifest_hash, image_digests, diff_summary, result, error, manifests)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Project, p.User, p.Host, started.UnixNano(), int64(p.Duration), p.Context, p.Namespace, p.Env,
		p.GitCommit, p.ComposeHash, p.ManifestHash, string(digests), string(diff), p.Result, p.Error, p.Manifests)
	if err != nil {
		return 0, s.wrap("record promotion", err)
	}
	id, err := res.LastInsertId()
	return id, s.wrap("record promotion", err)
}

const promotionColumns = `id, project, user, host, started_at, duration_ns, context, namespace, env,
	git_commit, compose_hash, manifest_hash, image_digests, diff_summary, result, error`

// ListPromotions returns project's promotions to every target, newest first,
// at most limit (<= 0 means 100), without their manifests.
func (s *Store) ListPromotions(ctx context.Context, project string, limit int) ([]Promotion, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+promotionColumns+`, NULL FROM promotions
		WHERE project = ? ORDER BY id DESC LIMIT ?`, project, clampLimit(limit, 100))
	if err != nil {
		return nil, s.wrap("list promotions", err)
	}
	defer rows.Close()
	var out []Promotion
	for rows.Next() {
		p, err := scanPromotion(rows)
		if err != nil {
			return nil, s.wrap("list promotions", err)
		}
		out = append(out, p)
	}
	return out, s.wrap("list promotions", rows.Err())
}

// GetPromotion returns one promotion with its manifests.
func (s *Store) GetPromotion(ctx context.Context, id int64) (Promotion, error) {
	row := s.reader.QueryRowContext(ctx, `SELECT `+promotionColumns+`, manifests FROM promotions WHERE id = ?`, id)
	p, err := scanPromotion(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Promotion{}, fmt.Errorf("promotion %d: %w", id, ErrNotFound)
	}
	return p, s.wrap("get promotion", err)
}

// LastSuccessfulPromotion is the latest succeeded promotion of project to the
// kubeconfig context kubeContext, with its manifests: what a rollback re-applies
// and what pruning compares against. ErrNotFound if there is none.
func (s *Store) LastSuccessfulPromotion(ctx context.Context, project, kubeContext string) (Promotion, error) {
	row := s.reader.QueryRowContext(ctx, `SELECT `+promotionColumns+`, manifests FROM promotions
		WHERE project = ? AND context = ? AND result = ? ORDER BY id DESC LIMIT 1`,
		project, kubeContext, PromotionSucceeded)
	p, err := scanPromotion(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Promotion{}, fmt.Errorf("no successful promotion of %q to %q: %w", project, kubeContext, ErrNotFound)
	}
	return p, s.wrap("last successful promotion", err)
}

func scanPromotion(sc scanner) (Promotion, error) {
	var p Promotion
	var started, duration int64
	var digests, diff string
	err := sc.Scan(&p.ID, &p.Project, &p.User, &p.Host, &started, &duration, &p.Context, &p.Namespace, &p.Env,
		&p.GitCommit, &p.ComposeHash, &p.ManifestHash, &digests, &diff, &p.Result, &p.Error, &p.Manifests)
	if err != nil {
		return Promotion{}, err
	}
	p.Started, p.Duration = fromNanos(started), time.Duration(duration)
	if err := json.Unmarshal([]byte(digests), &p.ImageDigests); err != nil {
		return Promotion{}, fmt.Errorf("promotion %d: image digests: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(diff), &p.Diff); err != nil {
		return Promotion{}, fmt.Errorf("promotion %d: diff summary: %w", p.ID, err)
	}
	return p, nil
}
