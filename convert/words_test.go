package convert

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The implementations anyUpperWord and nextPiece replaced, kept as references.

func oldIsSecretName(name string) bool {
	for _, w := range strings.FieldsFunc(strings.ToUpper(name), func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		if secretWords[w] || strings.HasSuffix(w, "PASSWORD") || strings.HasSuffix(w, "TOKEN") || strings.HasSuffix(w, "SECRET") {
			return true
		}
	}
	return false
}

func oldHostVariable(name string) bool {
	for _, w := range strings.FieldsFunc(strings.ToUpper(name), func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		if containsString(hostWords, w) {
			return true
		}
	}
	return false
}

func oldLooksLikeLogs(p string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(p), func(r rune) bool { return r == '/' || r == '-' || r == '_' || r == '.' }) {
		if w == "log" || (strings.HasSuffix(w, "logs") && w != "blogs") {
			return true
		}
	}
	return false
}

// envVarName is what validEnvVarName accepts.
var envVarName = regexp.MustCompile(`^[-._a-zA-Z][-._a-zA-Z0-9]*$`)

// hostPortPattern is what appendHostPorts finds.
var hostPortPattern = regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9_.-]*):([0-9]{1,5})\b`)

func oldHostRefs(v string, bareHosts bool) []hostRef {
	var out []hostRef
	for _, piece := range strings.FieldsFunc(v, func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '\t' || r == '\n'
	}) {
		if i := strings.Index(piece, "://"); i >= 0 {
			piece = piece[i+3:]
		} else if !bareHosts && !strings.ContainsAny(piece, ":@") {
			continue
		}
		if i := strings.IndexAny(piece, "/?#"); i >= 0 {
			piece = piece[:i]
		}
		if i := strings.LastIndex(piece, "@"); i >= 0 {
			piece = piece[i+1:]
		}
		host, port, _ := strings.Cut(piece, ":")
		out = append(out, hostRef{host: host, port: parsePort(port)})
	}
	for _, m := range hostPortPattern.FindAllStringSubmatch(v, -1) {
		out = append(out, hostRef{host: m[1], port: parsePort(m[2])})
	}
	return out
}

// envSamples are the variable names and values of every real compose
// file, plus made-up ones at the edges (separators, case, non-ASCII).
func envSamples(t *testing.T) (names, values []string) {
	names = []string{"", "_", "__", "a_b", "DB_PASSWORD", "db_password", "db-host", "x.token", "MYSECRET", "HOST_", "_HOST",
		"ſECRET", "ho\u017ft", "\u0131", "K\u212Aey", "\xffHOST", "PASS\xff", "A__B..C--D", "redis_url", "ENDPOINTS", "DSN"}
	values = []string{"", " ", ",,", "db", "db:5432", "postgres://u:p@db:5432/x", "mongodb://a,b/x", "tcp(db:3306)",
		"kafka:9092 redis:6379;x:1\ty:2\nz:3", "u@host", "a b,c;d\te\nf", "http://x/y?z#w", ":", "::", "a:b:c", "\xff:1",
		"x://", "s3://key:secret@bucket", "ftp://user:pass@host/path",
		"a:123456", "a:123456:80", "a:80b:90", "a:80_", "a:80.", "-a:1", "_a:1", ".a.:1", "a-:1-", "a:1é", "é:1", "a:\xff1",
		"http://svc-0001:8080", "x:12345:6", "a:b:80", "::1", "a:0", "a:99999", "1:2:3:4", "h:1x h:2 h:3_ h:4-"}
	for _, file := range composeFiles(t) {
		l, err := Load(context.Background(), LoadOptions{Files: []string{file}, ProjectDir: filepath.Dir(file),
			ProjectName: "words", Environ: []string{}, Profiles: []string{"*"}})
		if err != nil {
			continue
		}
		for _, s := range l.Project.Services {
			for k, v := range s.Environment {
				names = append(names, k)
				if v != nil {
					values = append(values, *v)
				}
			}
		}
	}
	return names, values
}

// TestWordsMatchOldSplits: splitting without slices decides as the
// strings.FieldsFunc versions did.
func TestWordsMatchOldSplits(t *testing.T) {
	names, values := envSamples(t)
	for _, n := range names {
		if got, want := IsSecretName(n), oldIsSecretName(n); got != want {
			t.Errorf("IsSecretName(%q) = %v, want %v", n, got, want)
		}
		if got, want := hostVariable(n), oldHostVariable(n); got != want {
			t.Errorf("hostVariable(%q) = %v, want %v", n, got, want)
		}
		for _, name := range []string{n, "9" + n, n + "9", "é" + n, n + "\xff", n + "=", " " + n} {
			if got, want := validEnvVarName(name), envVarName.MatchString(name); got != want {
				t.Errorf("validEnvVarName(%q) = %v, want %v", name, got, want)
			}
		}
	}
	for _, v := range append(values, names...) {
		for _, bare := range []bool{false, true} {
			if got, want := hostRefs(v, bare), oldHostRefs(v, bare); !reflect.DeepEqual(got, want) {
				t.Errorf("hostRefs(%q, %v) = %v, want %v", v, bare, got, want)
			}
		}
		for _, p := range []string{v, "/var/" + v + "/log", v + "-LOGS", "/blogs/" + v, "/x.Log/" + v} {
			if got, want := looksLikeLogs(p), oldLooksLikeLogs(p); got != want {
				t.Errorf("looksLikeLogs(%q) = %v, want %v", p, got, want)
			}
		}
		if got, want := isSecretValue(v), credentialURL().MatchString(v); got != want {
			t.Errorf("isSecretValue(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestHostPortsMatchPattern: the scan finds what hostPortPattern finds, on
// random strings over the characters that decide (digit runs around five
// long, host characters, colons, bytes of non-ASCII and invalid UTF-8).
func TestHostPortsMatchPattern(t *testing.T) {
	const alphabet = "aZ1_.-:99999 /\xc3\xa9\xff"
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		b := make([]byte, r.IntN(14))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		v := string(b)
		var want []hostRef
		for _, m := range hostPortPattern.FindAllStringSubmatch(v, -1) {
			want = append(want, hostRef{host: m[1], port: parsePort(m[2])})
		}
		if got := appendHostPorts(nil, v); !reflect.DeepEqual(got, want) {
			t.Fatalf("appendHostPorts(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestAffixes: the image checks without joined strings agree with joining.
func TestAffixes(t *testing.T) {
	words := []string{"", "-", "_", "a", "ui", "-ui", "_ui", "kafka-ui", "kafkaui", "postgres", "postgres-", "postgres-15",
		"postgres_x", "xpostgres-", "ui-", "-", "a-ui", "redis-commander", "é-ui"}
	for _, s := range words {
		for _, a := range words {
			for _, sep := range []byte{'-', '_'} {
				if got, want := hasPrefixBefore(s, a, sep), strings.HasPrefix(s, a+string(sep)); got != want {
					t.Errorf("hasPrefixBefore(%q, %q, %q) = %v", s, a, sep, got)
				}
				if got, want := hasSuffixAfter(s, a, sep), strings.HasSuffix(s, string(sep)+a); got != want {
					t.Errorf("hasSuffixAfter(%q, %q, %q) = %v", s, a, sep, got)
				}
			}
		}
	}
}
