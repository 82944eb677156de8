package localenv

import (
	"fmt"
	"os"

	"berth/convert"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// withSecretValues returns the objects to apply: the bundle's objects with
// each Secret (printed without values) filled from its sources. Values are
// only ever held in memory and sent to the API server.
func withSecretValues(b *convert.Bundle) ([]runtime.Object, []string, error) {
	values := map[string]map[string]string{}
	var missing []string
	for _, s := range b.Secrets {
		v := s.Value
		if v == "" && s.File != "" {
			data, err := os.ReadFile(s.File)
			if err != nil {
				return nil, nil, fmt.Errorf("secret %s: %w", s.Secret, err)
			}
			v = string(data)
		}
		if v == "" && s.EnvVar != "" {
			v = os.Getenv(s.EnvVar)
		}
		if v == "" {
			missing = append(missing, s.Secret+"/"+s.Key)
		}
		if values[s.Secret] == nil {
			values[s.Secret] = map[string]string{}
		}
		values[s.Secret][s.Key] = v
	}
	out := make([]runtime.Object, 0, len(b.Objects))
	for _, o := range b.Objects {
		sec, ok := o.(*corev1.Secret)
		if !ok || values[sec.Name] == nil {
			out = append(out, o)
			continue
		}
		filled := sec.DeepCopy()
		delete(filled.Annotations, convert.AnnotationSecretValues)
		for k, v := range values[sec.Name] {
			filled.StringData[k] = v
		}
		out = append(out, filled)
	}
	return out, missing, nil
}
