// Package convert loads compose projects exactly like `docker compose` does
// and turns them, with a pure function, into Kubernetes objects plus a report
// of what happened to every compose key. It does no I/O besides Load.
package convert

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Object is a typed Kubernetes object with metadata, such as *appsv1.Deployment.
type Object interface {
	metav1.Object
	runtime.Object
}

// Bundle is the result of a conversion.
type Bundle struct {
	Project   string
	Namespace string
	Objects   []Object        // typed objects in a stable order
	Images    []ImageBuild    // images `up` builds and loads
	Secrets   []SecretSource  // where each Secret key's value comes from (never the value)
	Ports     []PublishedPort // published ports `up` forwards to localhost
	Binds     []BindMount     // bind-mounted host directories (mounted by `up` in local only)
	Report    Report
}

// ImageBuild is one image `up` builds from a compose `build:` section.
type ImageBuild struct {
	Service    string            `json:"service"`
	Image      string            `json:"image"`
	Context    string            `json:"context"`
	Dockerfile string            `json:"dockerfile,omitempty"`
	Target     string            `json:"target,omitempty"`
	Args       map[string]string `json:"args,omitempty"`
}

// SecretSource tells where the value of one key of one Secret comes from.
type SecretSource struct {
	Secret string `json:"secret"` // Secret object name
	Key    string `json:"key"`
	// Exactly one of the following is set.
	File   string `json:"file,omitempty"`   // a file's content (compose secrets: file)
	EnvVar string `json:"envVar,omitempty"` // a variable of the loading environment (.env, OS env)
	Value  string `json:"-"`                // literal from environment:/env_file (never serialised)
}

// PublishedPort is a compose published port: host port → service's container port.
type PublishedPort struct {
	Service       string `json:"service"`
	Workload      string `json:"workload"` // service whose pod serves the port (differs with network_mode: service:X)
	HostIP        string `json:"hostIP,omitempty"`
	HostPort      int32  `json:"hostPort"`
	ContainerPort int32  `json:"containerPort"`
	Protocol      string `json:"protocol"`
	HTTP          bool   `json:"http"`
	// TLS says why a port looks like TLS (kept off Ingress: it would get
	// plain HTTP), "" when it does not.
	TLS string `json:"tls,omitempty"`
}

// BindMount is a host directory bind-mounted into a service's containers.
type BindMount struct {
	Service  string `json:"service"`
	Source   string `json:"source"`
	Target   string `json:"target"`
	ReadOnly bool   `json:"readOnly,omitempty"`
}
