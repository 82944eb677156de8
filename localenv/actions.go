package localenv

import (
	"context"
	"fmt"
	"io"
	"time"

	"berth/convert"
	"berth/internal/kube"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Restart rolls the pods of services, like `kubectl rollout restart`.
func (s *Session) Restart(ctx context.Context, services ...string) error {
	patch := fmt.Sprintf(`{"spec":{"template":{"metadata":{"annotations":{"berth.dev/restarted-at":%q}}}}}`, time.Now().Format(time.RFC3339))
	for _, svc := range services {
		if _, ok := s.Loaded.Project.Services[svc]; !ok {
			return fmt.Errorf("no service %q in the project", svc)
		}
		kind, name := s.workloadOf(svc)
		var err error
		apps := s.Cluster.Client.Typed.AppsV1()
		switch kind {
		case convert.KindStatefulSet:
			_, err = apps.StatefulSets(s.Namespace).Patch(ctx, name, types.StrategicMergePatchType, []byte(patch), metaPatch())
		case convert.KindDaemonSet:
			_, err = apps.DaemonSets(s.Namespace).Patch(ctx, name, types.StrategicMergePatchType, []byte(patch), metaPatch())
		case convert.KindDeployment:
			_, err = apps.Deployments(s.Namespace).Patch(ctx, name, types.StrategicMergePatchType, []byte(patch), metaPatch())
		default:
			return fmt.Errorf("%s has no long-running pods to restart", svc)
		}
		if err != nil {
			return fmt.Errorf("restart %s: %w", svc, err)
		}
		s.Pub.Publish(Event{Service: svc, Kind: EventRollout, Message: "restarting"})
	}
	return s.waitReady(ctx)
}

// workloadOf returns the kind and name of the workload that runs service.
func (s *Session) workloadOf(service string) (kind, name string) {
	for _, o := range s.Bundle.Objects {
		if convert.IsWorkloadKind(convert.Kind(o)) && serviceOf(o.GetAnnotations()) == service {
			return convert.Kind(o), o.GetName()
		}
	}
	return "", ""
}

// Exec runs a command in the container of a service's newest ready pod.
func (s *Session) Exec(ctx context.Context, service string, cmd []string, stdin io.Reader, stdout, stderr io.Writer, tty bool) error {
	owner := service
	for _, p := range s.Bundle.Ports {
		if p.Service == service {
			owner = p.Workload
		}
	}
	if svc, ok := s.Loaded.Project.Services[service]; ok && len(svc.NetworkMode) > 8 && svc.NetworkMode[:8] == "service:" {
		owner = svc.NetworkMode[8:]
	}
	pod, err := s.Cluster.Client.ReadyPod(ctx, s.Namespace, s.ServiceSelector(owner))
	if err != nil {
		return fmt.Errorf("%s: %w", service, err)
	}
	return s.Cluster.Client.Exec(ctx, s.Namespace, pod.Name, convert.DNSName(service), cmd,
		kube.ExecOptions{Stdin: stdin, Stdout: stdout, Stderr: stderr, TTY: tty})
}

func metaPatch() metav1.PatchOptions { return metav1.PatchOptions{FieldManager: kube.FieldManager} }
