package convert

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Labels and annotations every object carries.
const (
	LabelName      = "app.kubernetes.io/name"
	LabelPartOf    = "app.kubernetes.io/part-of"
	LabelManagedBy = "app.kubernetes.io/managed-by"
	LabelComponent = "app.kubernetes.io/component"
	ManagedBy      = "berth"

	AnnotationService     = "berth.dev/compose-service"
	AnnotationComposeHash = "berth.dev/compose-hash"
	AnnotationGitCommit   = "berth.dev/git-commit"
)

// selectorLabels select the pods of one service; they never change after the
// first apply (a Deployment's selector is immutable), so they hold no hash.
func (c *converter) selectorLabels(service string) map[string]string {
	return map[string]string{
		LabelName:   DNSName(service),
		LabelPartOf: c.project,
	}
}

// meta builds the ObjectMeta of an object belonging to service (empty for
// objects shared by the project).
func (c *converter) meta(name, service string) metav1.ObjectMeta {
	labels := map[string]string{
		LabelPartOf:    c.project,
		LabelManagedBy: ManagedBy,
	}
	annotations := map[string]string{AnnotationComposeHash: c.opts.ComposeHash}
	labels[LabelName] = c.project // shared objects are named after the project
	if service != "" {
		labels[LabelName] = DNSName(service)
		annotations[AnnotationService] = service
	}
	if c.opts.GitCommit != "" {
		annotations[AnnotationGitCommit] = c.opts.GitCommit
	}
	return metav1.ObjectMeta{
		Name:        name,
		Namespace:   c.namespace,
		Labels:      labels,
		Annotations: annotations,
	}
}
