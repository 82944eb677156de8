package localenv

import (
	"context"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Down deletes the project's objects. PersistentVolumeClaims (the data) and
// the namespace that holds them are kept unless removeVolumes.
func (s *Session) Down(ctx context.Context, removeVolumes bool) error {
	StopDaemon(s.Project)
	deleted, err := s.Cluster.Client.DeleteByLabel(ctx, s.Namespace, s.Selector(), removeVolumes)
	var kinds []string
	for _, d := range deleted {
		kinds = append(kinds, strings.ToLower(d.Kind)+"/"+d.Name)
	}
	if len(kinds) > 0 {
		s.Pub.Publish(Event{Kind: EventStopped, Message: "deleted " + strings.Join(kinds, ", ")})
	}
	if err != nil {
		return fmt.Errorf("down: %w", err)
	}
	if !removeVolumes {
		s.Pub.Publish(Event{Kind: EventInfo, Message: "volumes kept (berth down -v removes them)"})
		return nil
	}
	err = s.Cluster.Client.Typed.CoreV1().Namespaces().Delete(ctx, s.Namespace, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete namespace %s: %w", s.Namespace, err)
	}
	s.Pub.Publish(Event{Kind: EventStopped, Message: "namespace " + s.Namespace + " and its volumes deleted"})
	return nil
}
