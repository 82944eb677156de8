package convert

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// oddStrings are values YAML quotes, resolves, folds or refuses.
var oddStrings = []string{
	"", "true", "false", "True", "TRUE", "1e3", "1e+21", "1.5", "-1", "+1", "0", "012", "0x1F", "0o17", "0b101", "1_000",
	"null", "Null", "NULL", "~", "on", "off", "On", "yes", "no", "y", "n", "Y", "N", ".inf", "-.inf", ".nan", "NaN",
	"1:20", "3:25:45", "190:20:30.15", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "<<", "=", "a: b", "a #b", "#x",
	"- x", "? x", "!tag", "&a", "*a", "%x", "@x", "`x", "'q'", `"q"`, "{x}", "[x]", "x,y", " lead", "trail ", "tab\tx",
	"new\nline", "two\n\nlines\n", "trailing\n\n", " \n", "\n", "a\r\nb", "a\rb", "é", "日本", "emoji 😀", "\u2028",
	"\u2029", "\u0085", "\u0080", "\x7f", "\x01", "\x00", "\u00a0", "\ufeff", "\ufffe", "\uffff", "\xff", "<>&",
	"db.example.com", "my-db", "my_db.v2", "a.b-c_d", "---", "...", "--- x", "a\n---\nb", "\\", "\\u0041", "a/b",
	strings.Repeat("long-name-", 30), strings.Repeat("word ", 40), strings.Repeat("x", 1100),
	strings.Repeat("line of text that is long enough to be folded by the emitter ", 3) + "\nnext",
}

// restoreJobSample is a restore Job from a converted project (S3 target,
// redis: init container, data volume, scale-down annotation).
func restoreJobSample(t *testing.T) *batchv1.Job {
	t.Helper()
	c := &converter{b: &Bundle{}}
	env := builtinEnvironments()["prod"]
	bj := &backupJob{service: "cache", engine: DBRedis, spec: dbSpecs[DBRedis], image: "redis:7", env0: env,
		labels: map[string]string{LabelPartOf: "shop", LabelComponent: "backup", LabelBackupOf: "cache"},
		env:    []corev1.EnvVar{{Name: "DB_HOST", Value: "cache"}, {Name: "DB_PORT", Value: "6379"}}}
	job := &batchv1.Job{}
	c.hardenRestore(&job.Spec.Template.Spec, env)
	job.Name, job.Namespace = "cache-restore", "shop"
	job.Labels, job.Annotations = bj.labels, map[string]string{AnnotationService: "cache"}
	job.Spec.Template.Spec.Containers = []corev1.Container{{Name: "restore", Image: bj.image, Command: []string{"sh", "-c", dbSpecs[DBRedis].restore}, Env: bj.env}}
	job.Spec.Template.Spec.InitContainers = []corev1.Container{{Name: "fetch", Image: RcloneImage, Env: rcloneEnv(env.Backup)}}
	typeMeta(job, "batch", "v1", KindJob)
	return job
}

// withValue puts s wherever a restore Job carries a name or value from the
// compose file or the environment.
func withValue(base *batchv1.Job, s string) *batchv1.Job {
	job := base.DeepCopy()
	job.Name, job.Namespace = s, s
	job.Labels = map[string]string{LabelBackupOf: s, s: "key"}
	job.Annotations[AnnotationScaleDown] = s
	ct := &job.Spec.Template.Spec.Containers[0]
	ct.Image = s
	ct.Command = append(ct.Command, s)
	ct.Env = append(ct.Env, corev1.EnvVar{Name: s, Value: s}, corev1.EnvVar{Name: "X", Value: "pre " + s + " post"})
	return job
}

// checkMarshalJob compares and reports whether the fast path was taken.
func checkMarshalJob(t *testing.T, job *batchv1.Job, what string) bool {
	t.Helper()
	want, wantErr := yaml.Marshal(job)
	got, err := marshalJob(job)
	if (err != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
		t.Errorf("%s: marshalJob differs from yaml.Marshal:\n%s\nerr %v\nwant\n%s\nerr %v", what, got, err, want, wantErr)
	}
	j, _ := json.Marshal(job)
	_, fast := yamlTreeOf(j)
	return fast
}

// TestMarshalJobIsYAMLMarshal compares marshalJob with sigs.k8s.io/yaml's
// Marshal on restore Jobs carrying odd and random strings.
func TestMarshalJobIsYAMLMarshal(t *testing.T) {
	base := restoreJobSample(t)
	checkMarshalJob(t, base, "sample")
	fast := 0
	for _, s := range oddStrings {
		if checkMarshalJob(t, withValue(base, s), strings.ToValidUTF8(s, "?")) {
			fast++
		}
	}
	// the first alphabet lacks the characters the fast path refuses
	alphabets := []string{"aZ09 -_.:#,'\"\\/{}[]&*!|>%@`?~=+\t\n\r\x00\u00a0é日😀\u2028\ufeff",
		"aZ09 -_.:#\n\x7f\u0080\u0085\ufffe"}
	r := rand.New(rand.NewSource(1))
	for _, alphabet := range alphabets {
		runes := []rune(alphabet)
		for i := 0; i < 2000; i++ {
			b := make([]rune, r.Intn(30)) // short enough to be a key of the fast path
			for k := range b {
				b[k] = runes[r.Intn(len(runes))]
			}
			if checkMarshalJob(t, withValue(base, string(b)), "random "+strings.ToValidUTF8(string(b), "?")) {
				fast++
			}
		}
	}
	if fast < 2000 {
		t.Errorf("only %d of %d Jobs took the fast path", fast, len(oddStrings)+4000)
	}
	t.Logf("%d of %d Jobs took the fast path", fast, len(oddStrings)+4000)
}

// TestMarshalJobFastPath makes sure ordinary restore Jobs take the fast
// path (else the comparison above proves nothing about it).
func TestMarshalJobFastPath(t *testing.T) {
	base := restoreJobSample(t)
	for _, s := range []string{"db", "true", "1e3", "null", "on", "a.b-c", "new\nline", strings.Repeat("word ", 25)} {
		j, err := json.Marshal(withValue(base, s))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := yamlTreeOf(j); !ok {
			t.Errorf("%q: restore Job takes the slow path", s)
		}
	}
}
