package convert

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// FluentBitImage ships container logs (pinned).
const FluentBitImage = "cr.fluentbit.io/fluent/fluent-bit:3.1.9"

// fluentBitName names the Fluent Bit objects; the prefix keeps them apart from
// a compose service that happens to be called fluent-bit.
const fluentBitName = "berth-fluent-bit"

// sinkOutput is the [OUTPUT] section for one sink kind, with the default port.
type sinkOutput struct {
	plugin string
	port   int
	extra  string
}

var sinkOutputs = map[string]sinkOutput{
	"stdout":        {plugin: "stdout"},
	"loki":          {plugin: "loki", port: 3100, extra: "    Labels            job=fluent-bit, project=%s\n    Auto_Kubernetes_Labels on\n"},
	"elasticsearch": {plugin: "es", port: 9200, extra: "    Logstash_Format   On\n    Logstash_Prefix   %s\n    Suppress_Type_Name On\n    Replace_Dots      On\n"},
	"es":            {plugin: "es", port: 9200, extra: "    Logstash_Format   On\n    Logstash_Prefix   %s\n    Suppress_Type_Name On\n    Replace_Dots      On\n"},
	"forward":       {plugin: "forward", port: 24224},
	"http":          {plugin: "http", port: 80, extra: "    Format            json\n"},
}

// logShipping renders, when the environment has a log sink, a Fluent Bit
// DaemonSet in the project's namespace that tails this namespace's
// containers (/var/log/containers/*_<ns>_*.log), adds Kubernetes metadata
// and sends them to the sink.
func (c *converter) logShipping(env Environment) error {
	sink := strings.ToLower(env.LogSink)
	if sink == "" || sink == "none" {
		return nil
	}
	out, ok := sinkOutputs[sink]
	if !ok {
		return fmt.Errorf("%w: x-berth.environments.%s.logSink: %q is not one of none, stdout, loki, elasticsearch, forward, http", ErrInvalidProject, env.Name, env.LogSink)
	}
	section, port, err := c.outputSection(out, env.LogSinkURL)
	if err != nil {
		return fmt.Errorf("%w: x-berth.environments.%s.logSinkURL: %v", ErrInvalidProject, env.Name, err)
	}
	creds, credEnv := c.sinkCredentials(out.plugin, env.LogSinkURL)
	c.addFluentBitRBAC()
	c.addFluentBitConfig(section + creds)
	c.add(c.fluentBitDaemonSet(credEnv))
	c.add(c.fluentBitPolicy(port))
	c.rep.note("logs: Fluent Bit DaemonSet %s ships the containers of namespace %s to %s %s", fluentBitName, c.namespace, sink, redactURL(env.LogSinkURL))
	return nil
}

// outputSection renders [OUTPUT] for the sink and returns the port it uses.
func (c *converter) outputSection(out sinkOutput, raw string) (string, int, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "[OUTPUT]\n    Name              %s\n    Match             kube.*\n", out.plugin)
	if out.plugin == "stdout" {
		b.WriteString("    Format            json_lines\n")
		return b.String(), 0, nil
	}
	if raw == "" {
		return "", 0, fmt.Errorf("a %s sink needs logSinkURL", out.plugin)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return "", 0, fmt.Errorf("%q is not a URL with a host", redactURL(raw))
	}
	port := out.port
	if u.Scheme == "https" {
		port = 443
	}
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	}
	fmt.Fprintf(&b, "    Host              %s\n    Port              %d\n", u.Hostname(), port)
	if u.Scheme == "https" {
		b.WriteString("    tls               On\n")
	}
	if u.Path != "" && u.Path != "/" && out.plugin == "http" {
		fmt.Fprintf(&b, "    URI               %s\n", u.Path)
	}
	if strings.Contains(out.extra, "%s") {
		fmt.Fprintf(&b, out.extra, c.project)
	} else {
		b.WriteString(out.extra)
	}
	return b.String(), port, nil
}

// redactURL drops user information from a sink URL before it is printed.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}

func (c *converter) fluentBitConfig(output string) string {
	return fmt.Sprintf(`[SERVICE]
    Flush             5
    Log_Level         info
    Parsers_File      /fluent-bit/etc/parsers.conf
    HTTP_Server       On
    HTTP_Port         2020

[INPUT]
    Name              tail
    Tag               kube.*
    Path              /var/log/containers/*_%s_*.log
    multiline.parser  cri, docker
    DB                /var/fluent-bit/state/%s.db
    Mem_Buf_Limit     16MB
    Skip_Long_Lines   On
    Refresh_Interval  10

[FILTER]
    Name              kubernetes
    Match             kube.*
    Merge_Log         On
    Keep_Log          Off
    K8S-Logging.Parser On
    K8S-Logging.Exclude On

%s`, c.namespace, c.namespace, output)
}

func (c *converter) addFluentBitConfig(output string) {
	cm := &corev1.ConfigMap{
		ObjectMeta: c.meta(fluentBitName, ""),
		Data:       map[string]string{"fluent-bit.conf": c.fluentBitConfig(output)},
	}
	cm.Labels[LabelName] = fluentBitName
	c.add(typeMeta(cm, "", "v1", "ConfigMap"))
}

// clusterRBACName names the cluster-wide RBAC objects after the namespace,
// so two projects never share them.
func (c *converter) clusterRBACName() string {
	return truncateName("berth-"+c.namespace+"-fluent-bit", 63, c.namespace)
}

func (c *converter) addFluentBitRBAC() {
	sa := &corev1.ServiceAccount{ObjectMeta: c.meta(fluentBitName, "")}
	sa.Labels[LabelName] = fluentBitName
	c.add(typeMeta(sa, "", "v1", "ServiceAccount"))
	role := &rbacv1.ClusterRole{ObjectMeta: c.meta(c.clusterRBACName(), ""),
		Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"pods", "namespaces"}, Verbs: []string{"get", "list", "watch"}}}}
	role.Namespace = ""
	c.add(typeMeta(role, "rbac.authorization.k8s.io", "v1", "ClusterRole"))
	binding := &rbacv1.ClusterRoleBinding{ObjectMeta: c.meta(c.clusterRBACName(), ""),
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role.Name},
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: fluentBitName, Namespace: c.namespace}}}
	binding.Namespace = ""
	c.add(typeMeta(binding, "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"))
}

func (c *converter) fluentBitLabels() map[string]string {
	return map[string]string{LabelName: fluentBitName, LabelPartOf: c.project, LabelComponent: "logging"}
}

// fluentBitDaemonSet runs Fluent Bit on every node; env carries the sink's
// credentials (from a Secret) when it has any.
func (c *converter) fluentBitDaemonSet(env []corev1.EnvVar) Object {
	hostPath := func(name, p string, t corev1.HostPathType) corev1.Volume {
		return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: p, Type: &t}}}
	}
	ro := true
	pod := corev1.PodSpec{
		ServiceAccountName: fluentBitName,
		Tolerations:        []corev1.Toleration{{Operator: corev1.TolerationOpExists}},
		Containers: []corev1.Container{{
			Name: fluentBitName, Image: FluentBitImage,
			Args:  []string{"--config=/fluent-bit/etc/fluent-bit.conf"},
			Env:   env,
			Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 2020, Protocol: corev1.ProtocolTCP}},
			VolumeMounts: []corev1.VolumeMount{
				{Name: "varlog", MountPath: "/var/log", ReadOnly: true},
				{Name: "state", MountPath: "/var/fluent-bit/state"},
				{Name: "config", MountPath: "/fluent-bit/etc/fluent-bit.conf", SubPath: "fluent-bit.conf", ReadOnly: true},
			},
			SecurityContext: &corev1.SecurityContext{ReadOnlyRootFilesystem: &ro},
		}},
		Volumes: []corev1.Volume{
			hostPath("varlog", "/var/log", corev1.HostPathDirectory),
			hostPath("state", "/var/lib/berth-fluent-bit", corev1.HostPathDirectoryOrCreate),
			{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: fluentBitName}}}},
		},
	}
	ds := &appsv1.DaemonSet{
		ObjectMeta: c.meta(fluentBitName, ""),
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: c.fluentBitLabels()},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: c.fluentBitLabels()}, Spec: pod},
		},
	}
	ds.Labels[LabelName] = fluentBitName
	return typeMeta(ds, "apps", "v1", KindDaemonSet)
}

// fluentBitPolicy lets Fluent Bit reach the API server (kubernetes filter)
// and the sink; both may sit on private addresses, so only ports narrow it.
func (c *converter) fluentBitPolicy(sinkPort int) Object {
	np := c.newPolicy(fluentBitName, "", metav1.LabelSelector{MatchLabels: c.fluentBitLabels()})
	ports := []networkingv1.NetworkPolicyPort{npPort(443, corev1.ProtocolTCP), npPort(6443, corev1.ProtocolTCP)}
	if sinkPort > 0 && sinkPort != 443 {
		ports = append(ports, npPort(int32(sinkPort), corev1.ProtocolTCP))
	}
	np.Spec.Egress = []networkingv1.NetworkPolicyEgressRule{{
		To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "0.0.0.0/0"}}}, Ports: ports,
	}}
	np.Labels[LabelName] = fluentBitName
	return np
}
