package localenv

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"berth/convert"

	"github.com/fsnotify/fsnotify"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// Debounce is how long the watch waits after the last change before acting,
// so an editor's burst of writes triggers one rebuild.
var Debounce = 200 * time.Millisecond

// Watch rebuilds, reloads and rolls only the services whose build context
// changed, and re-converts and re-applies when a compose file changes, until
// ctx ends. Files matched by .dockerignore are ignored.
func (s *Session) Watch(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	s.watchPaths(w)
	pending := map[string]bool{} // services to rebuild; "" = compose files changed
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Op&fsnotify.Create != 0 {
				addTree(w, ev.Name)
			}
			for _, svc := range s.affected(ev.Name) {
				pending[svc] = true
			}
			if len(pending) > 0 {
				timer.Reset(Debounce)
			}
		case err := <-w.Errors:
			s.Pub.Publish(Event{Kind: EventInfo, Message: "watch: " + err.Error()})
		case <-timer.C:
			s.rebuild(ctx, pending)
			pending = map[string]bool{}
			s.watchPaths(w)
		}
	}
}

// watchPaths watches every build context (recursively) and compose file.
func (s *Session) watchPaths(w *fsnotify.Watcher) {
	for _, ib := range s.Bundle.Images {
		addTree(w, ib.Context)
	}
	for _, f := range s.Loaded.Project.ComposeFiles {
		_ = w.Add(filepath.Dir(f))
	}
}

func addTree(w *fsnotify.Watcher, root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if d.Name() == ".git" || d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		_ = w.Add(p)
		return nil
	})
}

// affected returns the services a changed path concerns: "" for a compose
// or .env file, the services whose build context holds it otherwise.
func (s *Session) affected(path string) []string {
	for _, f := range s.Loaded.Project.ComposeFiles {
		if path == f {
			return []string{""}
		}
	}
	if filepath.Base(path) == ".env" && filepath.Dir(path) == s.Loaded.Project.WorkingDir {
		return []string{""}
	}
	var out []string
	for _, ib := range s.Bundle.Images {
		rel, err := filepath.Rel(ib.Context, path)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		if !ignored(ib.Context, rel) {
			out = append(out, ib.Service)
		}
	}
	return out
}

// ignored reports whether .dockerignore of the context excludes rel.
func ignored(contextDir, rel string) bool {
	f, err := os.Open(filepath.Join(contextDir, ".dockerignore"))
	if err != nil {
		return false
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil || len(patterns) == 0 {
		return false
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return false
	}
	m, _ := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
	return m
}

// rebuild acts on one debounced batch of changes.
func (s *Session) rebuild(ctx context.Context, pending map[string]bool) {
	if pending[""] {
		s.Pub.Publish(Event{Kind: EventInfo, Message: "compose files changed: converting and applying again"})
		if err := s.reload(ctx); err != nil {
			s.Pub.Publish(Event{Kind: EventFailing, Message: err.Error()})
		}
		return
	}
	var changed []convert.ImageBuild
	for _, ib := range s.Bundle.Images {
		if pending[ib.Service] {
			changed = append(changed, ib)
		}
	}
	if err := s.rollServices(ctx, changed); err != nil {
		s.Pub.Publish(Event{Kind: EventFailing, Message: err.Error()})
	}
}

// rollServices rebuilds services and applies their new images in one go:
// builds run one after the other (services sharing a context reuse the
// layer cache), loads run in parallel, then one apply rolls only their pods.
func (s *Session) rollServices(ctx context.Context, ibs []convert.ImageBuild) error {
	if len(ibs) == 0 {
		return nil
	}
	start := time.Now()
	images := make([]string, len(ibs))
	for i, ib := range ibs {
		img, err := s.build(ctx, ib)
		if err != nil {
			return err
		}
		images[i] = img
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ibs))
	for i, ib := range ibs {
		wg.Add(1)
		go func(i int, service string) {
			defer wg.Done()
			errs[i] = s.loadOne(ctx, service, images[i])
		}(i, ib.Service)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := s.reconvert(); err != nil {
		return err
	}
	if err := s.apply(ctx); err != nil {
		return err
	}
	if err := s.waitReady(ctx); err != nil {
		return err
	}
	for _, ib := range ibs {
		s.Pub.Publish(Event{Service: ib.Service, Kind: EventRollout, Message: "serving the new version " + time.Since(start).Round(100*time.Millisecond).String() + " after the change"})
	}
	return nil
}

// reload re-reads the compose files and applies the result.
func (s *Session) reload(ctx context.Context) error {
	if err := s.load(ctx); err != nil {
		return err
	}
	if err := s.images(ctx); err != nil {
		return err
	}
	if err := s.apply(ctx); err != nil {
		return err
	}
	return s.waitReady(ctx)
}

// Rebuild rebuilds one service's image and rolls it out (the dashboard's
// rebuild button).
func (s *Session) Rebuild(ctx context.Context, service string) error {
	for _, ib := range s.Bundle.Images {
		if ib.Service == service {
			return s.rollServices(ctx, []convert.ImageBuild{ib})
		}
	}
	return fmt.Errorf("%s has no build: section to rebuild", service)
}
