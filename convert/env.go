package convert

import (
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// secretWords mark an environment variable as a secret when they appear as a
// word of its name (POSTGRES_PASSWORD, SECRET_KEY_BASE, GITHUB_TOKEN, ...).
var secretWords = map[string]bool{
	"PASSWORD": true, "PASSWD": true, "PASS": true, "PWD": true, "SECRET": true, "TOKEN": true,
	"KEY": true, "APIKEY": true, "CREDENTIAL": true, "CREDENTIALS": true, "PRIVATE": true,
	"AUTH": true, "SALT": true, "CERT": true, "DSN": true,
}

// validEnvVarName tells what Kubernetes takes as a variable name,
// [-._a-zA-Z][-._a-zA-Z0-9]* (checked byte by byte: it runs for every
// variable). Docker takes more; the API server refuses the rest in a
// Deployment, and accepts them in a StatefulSet whose pods then can never be
// created.
func validEnvVarName(name string) bool {
	for i := 0; i < len(name); i++ {
		switch b := name[i]; {
		case b == '-' || b == '.' || b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z':
		case b >= '0' && b <= '9' && i > 0:
		default:
			return false
		}
	}
	return name != ""
}

// credentialURL matches a URL with a password in it (postgres://u:p@db/x).
var credentialURL = lazyRegexp(`^[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`)

// IsSecretName reports whether an environment variable name looks like it holds a secret.
func IsSecretName(name string) bool {
	return anyUpperWord(name, func(w string) bool {
		return secretWords[w] || strings.HasSuffix(w, "PASSWORD") || strings.HasSuffix(w, "TOKEN") || strings.HasSuffix(w, "SECRET")
	})
}

// anyUpperWord reports whether f holds for a word of strings.ToUpper(name),
// words being what strings.FieldsFunc leaves between '_', '-' and '.'. It
// is called for every environment variable, so it builds no slice (and
// ToUpper copies nothing for names already upper case).
func anyUpperWord(name string, f func(word string) bool) bool {
	up := strings.ToUpper(name)
	start := 0
	for i := 0; i <= len(up); i++ {
		if i < len(up) && up[i] != '_' && up[i] != '-' && up[i] != '.' {
			continue
		}
		if i > start && f(up[start:i]) {
			return true
		}
		start = i + 1
	}
	return false
}

// isSecretVar decides whether one variable goes to a Secret. A *_FILE
// variable holding a path (POSTGRES_PASSWORD_FILE=/run/secrets/db) names
// where the secret is, not the secret.
func isSecretVar(name, value string) bool {
	if strings.HasSuffix(strings.ToUpper(name), "_FILE") && strings.HasPrefix(value, "/") {
		return false
	}
	return IsSecretName(name) || isSecretValue(value)
}

// isSecretValue reports whether a value carries credentials whatever its name.
func isSecretValue(v string) bool {
	return strings.Contains(v, "://") && credentialURL().MatchString(v) // the pattern needs "://"
}

// envSecretName is the Secret holding a service's secret-looking variables.
func envSecretName(service string) string {
	return childName(DNSName(service), "env")
}

// env maps environment and env_file (compose-go has merged both) to the
// container's env; secret-looking variables go to a Secret instead.
func (c *converter) env(s types.ServiceConfig) ([]corev1.EnvVar, error) {
	var out []corev1.EnvVar
	var invalid []string
	var secret map[string]string
	var secretName string
	if len(s.Environment) > 0 {
		out = make([]corev1.EnvVar, 0, len(s.Environment))
		secretName = envSecretName(s.Name)
	}
	for _, k := range sortedKeys(s.Environment) {
		v := s.Environment[k]
		if v == nil {
			continue // unset in the loading environment: compose leaves it out too
		}
		if !validEnvVarName(k) {
			invalid = append(invalid, strconv.Quote(k))
			continue
		}
		if isSecretVar(k, *v) {
			if secret == nil {
				secret = map[string]string{}
			}
			secret[k] = *v
			out = append(out, secretEnvVar(k, secretName, secretKeyName(k)))
			continue
		}
		out = append(out, corev1.EnvVar{Name: k, Value: escapeExpansion(*v)})
	}
	if len(out) == 0 {
		out = nil // as before sizing it
	}
	switch {
	case len(invalid) > 0:
		c.rep.approx(s.Name, "environment", "container env (%d secret-looking variables in Secret %s), without %s: not valid Kubernetes variable names (letters, digits, '_', '-', '.', not starting with a digit)",
			len(secret), secretName, strings.Join(invalid, ", "))
	case len(s.Environment) > 0:
		c.rep.mapped(s.Name, "environment", "container env ("+strconv.Itoa(len(secret))+" secret-looking variables in Secret "+secretName+")")
	}
	if len(s.EnvFiles) > 0 {
		c.rep.mapped(s.Name, "env_file", "merged into container env")
	}
	if len(secret) > 0 {
		c.addEnvSecret(s.Name, secret)
	}
	return out, nil
}

func (c *converter) addEnvSecret(service string, values map[string]string) {
	name := envSecretName(service)
	data := map[string]string{}
	for _, k := range sortedKeys(values) {
		key := secretKeyName(k)
		data[key] = c.secretValue(values[k])
		c.b.Secrets = append(c.b.Secrets, SecretSource{Secret: name, Key: key, Value: values[k]})
	}
	c.add(c.secretObject(name, service, data))
}

// secretValue hides a value unless the user asked to print them.
func (c *converter) secretValue(v string) string {
	if c.opts.IncludeSecretValues {
		return v
	}
	return ""
}

func (c *converter) secretObject(name, service string, data map[string]string) *corev1.Secret {
	sec := &corev1.Secret{
		ObjectMeta: c.meta(name, service),
		Type:       corev1.SecretTypeOpaque,
		StringData: data,
	}
	if !c.opts.IncludeSecretValues {
		sec.Annotations[AnnotationSecretValues] = "omitted: `berth up`/`berth promote` fill them from their sources"
	}
	typeMeta(sec, "", "v1", "Secret")
	return sec
}

// AnnotationSecretValues marks Secrets printed without their values.
const AnnotationSecretValues = "berth.dev/secret-values"

// secretEnvVar is an environment variable read from key of a Secret.
func secretEnvVar(name, secret, key string) corev1.EnvVar {
	return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: secret}, Key: key,
	}}}
}
