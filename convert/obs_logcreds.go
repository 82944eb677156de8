package convert

import (
	"fmt"
	"net/url"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Variables through which Fluent Bit reads the sink's credentials: its
// config references them as ${...}, so the values live in a Secret only.
const (
	envSinkUser     = "LOG_SINK_USER"
	envSinkPassword = "LOG_SINK_PASSWORD"
)

// sinkAuthKeys are the [OUTPUT] keys of each plugin's basic auth.
var sinkAuthKeys = map[string][2]string{
	"es":      {"HTTP_User", "HTTP_Passwd"},
	"loki":    {"http_user", "http_passwd"},
	"http":    {"http_User", "http_Passwd"},
	"forward": {"Username", "Password"},
}

// sinkCredentials moves the user information of a sink URL
// (https://elastic:pw@es...) into the Secret berth-fluent-bit, which the
// DaemonSet reads as environment variables. It returns the [OUTPUT] lines
// referencing them and the container's env; nothing when the URL has none.
// The values are printed only with IncludeSecretValues, like every Secret.
func (c *converter) sinkCredentials(plugin, raw string) (string, []corev1.EnvVar) {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return "", nil
	}
	keys, ok := sinkAuthKeys[plugin]
	if !ok {
		return "", nil
	}
	pass, _ := u.User.Password()
	vals := map[string]string{envSinkUser: u.User.Username(), envSinkPassword: pass}
	var lines strings.Builder
	var env []corev1.EnvVar
	data := map[string]string{}
	for i, name := range []string{envSinkUser, envSinkPassword} {
		if vals[name] == "" {
			continue
		}
		fmt.Fprintf(&lines, "    %-17s ${%s}\n", keys[i], name)
		env = append(env, secretEnvVar(name, fluentBitName, name))
		data[name] = c.secretValue(vals[name])
		c.b.Secrets = append(c.b.Secrets, SecretSource{Secret: fluentBitName, Key: name, Value: vals[name]})
	}
	if len(env) == 0 {
		return "", nil
	}
	sec := c.secretObject(fluentBitName, "", data)
	sec.Labels[LabelName] = fluentBitName
	c.add(sec)
	why := ""
	if plugin == "forward" {
		why = "; Fluentd checks them only with secure forward (a Shared_Key, not set by berth)"
	}
	c.rep.note("logs: the log sink URL's credentials are in Secret %s (%s), read by the Fluent Bit DaemonSet as environment variables and referenced as ${...} in its [OUTPUT]%s", fluentBitName, strings.Join(sortedKeys(data), ", "), why)
	return lines.String(), env
}
