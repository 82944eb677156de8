package convert

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

type dockerfileCase struct {
	name   string
	src    string
	target string
	args   map[string]string
	user   string // want; "" means unknown
	line   int
	why    string // substring of Why when user is ""
}

var dockerfileCases = []dockerfileCase{
	{name: "last stage", src: "FROM golang AS build\nRUN go build\nFROM debian\nUSER 65532:65532\nCMD [\"web\"]\n", user: "65532:65532", line: 4},
	{name: "target", src: "FROM debian AS worker\nUSER 1000\nFROM debian AS web\nUSER 2000\n", target: "worker", user: "1000", line: 2},
	{name: "target without user", src: "FROM golang AS build\nFROM debian\nUSER 1000\n", target: "build", why: "base image golang"},
	{name: "target is case-insensitive", src: "from debian as Web\nuser 1000\nFROM x\n", target: "WEB", user: "1000", line: 2},
	{name: "missing target", src: "FROM debian\nUSER 1000\n", target: "nope", why: `no stage "nope"`},
	{name: "no user, external base", src: "FROM node:20\nRUN npm ci\n", why: "base image node:20"},
	{name: "no FROM", src: "# nothing\n", why: "no FROM"},
	{name: "empty", src: "", why: "no FROM"},
	{name: "scratch", src: "FROM scratch\nCOPY app /\n", why: "FROM scratch, so it runs as root"},
	{name: "inherited from earlier stage", src: "FROM debian AS base\nUSER 1000\nFROM base AS web\nCOPY . .\n", user: "1000", line: 2},
	{name: "inherited, stage name case", src: "FROM debian AS Base\nUSER 1000\nFROM BASE\n", user: "1000", line: 2},
	{name: "inherited twice", src: "FROM debian AS a\nUSER 7\nFROM a AS b\nFROM b\n", user: "7", line: 2},
	{name: "child overrides", src: "FROM debian AS base\nUSER 1000\nFROM base\nUSER root\n", user: "root", line: 4},
	{name: "not inherited from a later stage name", src: "FROM base\nFROM debian AS base\nUSER 1\n", target: "", user: "1", line: 3},
	{name: "FROM x AS x is the external x", src: "FROM debian AS debian\nRUN x\n", why: "base image debian"},
	{name: "a later FROM x is the stage x", src: "FROM debian AS debian\nUSER 5\nFROM debian\n", user: "5", line: 2},
	{name: "ONBUILD USER in parent", src: "FROM debian AS base\nUSER 1000\nONBUILD USER 0\nFROM base\n", why: "ONBUILD USER (line 3)"},
	{name: "ONBUILD USER in the built stage only", src: "FROM debian\nUSER 1000\nONBUILD USER 0\n", user: "1000", line: 2},
	{name: "last USER wins", src: "FROM debian\nUSER 1000\nRUN x\nUSER app\n", user: "app", line: 4},
	{name: "unknown after known", src: "FROM debian\nUSER 1000\nUSER $NOPE\n", why: "NOPE has no value"},
	{name: "name", src: "FROM debian\nUSER app\n", user: "app", line: 2},
	{name: "name and group", src: "FROM debian\nUSER app:staff\n", user: "app:staff", line: 2},
	{name: "continuation", src: "FROM debian\nUSER \\\n   1000:1000\n", user: "1000:1000", line: 2},
	{name: "continuation with comment and blank line", src: "FROM debian\nRUN a \\\n# USER 0\n\n  b\nUSER 42\n", user: "42", line: 6},
	{name: "comments", src: "# USER 0\nFROM debian\n  # USER 0\nUSER 1\n", user: "1", line: 4},
	{name: "CRLF", src: "FROM debian\r\nUSER 1000\r\n", user: "1000", line: 2},
	{name: "tab after instruction", src: "FROM\tdebian\nUSER\t1000\n", user: "1000", line: 2},
	{name: "quoted", src: "FROM debian\nUSER \"1000\"\n", user: "1000", line: 2},
	{name: "two arguments", src: "FROM debian\nUSER 1000 2000\n", why: "exactly one argument"},
	{name: "ARG default", src: "FROM debian\nARG UID=1000\nUSER ${UID}\n", user: "1000", line: 3},
	{name: "ARG quoted default", src: "FROM debian\nARG UID=\"1000\" GID=2000\nUSER $UID:$GID\n", user: "1000:2000", line: 3},
	{name: "build arg wins", src: "FROM debian\nARG UID=1000\nUSER ${UID}\n", args: map[string]string{"UID": "2000"}, user: "2000", line: 3},
	{name: "build arg without default", src: "FROM debian\nARG UID\nUSER ${UID}\n", args: map[string]string{"UID": "3000"}, user: "3000", line: 3},
	{name: "ARG without value", src: "FROM debian\nARG UID\nUSER ${UID}\n", why: "UID has no value"},
	{name: "undeclared build arg does not apply", src: "FROM debian\nUSER ${UID}\n", args: map[string]string{"UID": "1"}, why: "UID has no value"},
	{name: "global ARG needs redeclaring", src: "ARG UID=1000\nFROM debian\nUSER $UID\n", why: "UID has no value"},
	{name: "global ARG redeclared", src: "ARG UID=1000\nFROM debian\nARG UID\nUSER $UID\n", user: "1000", line: 4},
	{name: "global ARG in FROM", src: "ARG BASE=base\nFROM debian AS base\nUSER 9\nFROM ${BASE}\n", user: "9", line: 3},
	{name: "global ARG in FROM unknown", src: "ARG BASE\nFROM ${BASE}\n", why: "BASE has no value"},
	{name: "default form", src: "FROM debian\nUSER ${UID:-1001}\n", user: "1001", line: 2},
	{name: "default form set", src: "FROM debian\nARG UID=5\nUSER ${UID:-1001}\n", user: "5", line: 3},
	{name: "alt form", src: "FROM debian\nARG UID=5\nUSER 1${UID:+2}\n", user: "12", line: 3},
	{name: "nested default", src: "FROM debian\nARG B=7\nUSER ${A:-${B}}\n", user: "7", line: 3},
	{name: "unsupported form", src: "FROM debian\nARG U=1000\nUSER ${U%0}\n", why: "does not evaluate"},
	{name: "ENV", src: "FROM debian\nENV APP_UID=1000\nUSER $APP_UID\n", user: "1000", line: 3},
	{name: "ENV legacy form", src: "FROM debian\nENV APP_UID 1000\nUSER $APP_UID\n", user: "1000", line: 3},
	{name: "ENV overrides ARG", src: "FROM debian\nARG U=1000\nENV U=0\nUSER $U\n", user: "0", line: 4},
	{name: "ENV from unknown ARG", src: "FROM debian\nARG U\nENV V=$U\nUSER ${V-1}\n", why: "cannot know"},
	{name: "ENV inherited by child stage", src: "FROM debian AS a\nENV U=4\nFROM a\nUSER $U\n", user: "4", line: 4},
	{name: "ARG not inherited by child stage", src: "FROM debian AS a\nARG U=4\nFROM a\nUSER $U\n", why: "U has no value"},
	{name: "escaped dollar", src: "FROM debian\nUSER \\$U\n", user: "$U", line: 2},
	{name: "single quotes", src: "FROM debian\nARG U=1\nUSER '$U'\n", user: "$U", line: 3},
	{name: "heredoc", src: "FROM debian\nRUN <<EOF\nUSER 0\nEOF\nUSER 1000\n", user: "1000", line: 5},
	{name: "heredoc with dash and quotes", src: "FROM debian\nUSER 1\nCOPY <<-\"END\" /x\n\tUSER 0\n\tEND\n", user: "1", line: 2},
	{name: "quoted heredoc opener is no heredoc", src: "FROM debian\nUSER 1\nRUN echo \"<<EOF\"\nUSER root\n", user: "root", line: 4},
	{name: "cat<<EOF is no heredoc word", src: "FROM debian\nRUN cat<<EOF >x\nUSER 2\n", user: "2", line: 3},
	{name: "two heredocs", src: "FROM debian\nCOPY <<A <<B /x/\nUSER 0\nA\nUSER 0\nB\nUSER 6\n", user: "6", line: 7},
	{name: "unterminated heredoc", src: "FROM debian\nUSER 1\nRUN <<EOF\nUSER 0\n", why: "not terminated"},
	{name: "here-string is no heredoc", src: "FROM debian\nRUN cat <<<x\nUSER 3\n", user: "3", line: 3},
	{name: "escape directive", src: "# escape=`\nFROM debian\nUSER `\n  1000\n", user: "1000", line: 3},
	{name: "directive after a comment is a comment", src: "# hello\n# escape=`\nFROM debian\nUSER 1\\\n000\n", user: "1000", line: 4},
	{name: "unterminated quote", src: "FROM debian\nUSER \"1000\n", why: "unterminated"},
	{name: "FROM with platform flag", src: "FROM --platform=$BUILDPLATFORM debian AS a\nUSER 8\nFROM --platform=linux/amd64 a\n", user: "8", line: 2},
}

func TestDockerfileUser(t *testing.T) {
	t.Parallel()
	for _, tc := range dockerfileCases {
		got := dockerfileUser(tc.src, tc.target, tc.args)
		if got.User != tc.user || (tc.user != "" && got.Line != tc.line) {
			t.Errorf("%s: user %q line %d (why %q), want %q line %d", tc.name, got.User, got.Line, got.Why, tc.user, tc.line)
		}
		if tc.user == "" && !strings.Contains(got.Why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, got.Why, tc.why)
		}
	}
}

// TestImageUserReadsTheDockerfile: the Dockerfile is found as docker build
// finds it; one that cannot be read leaves the user unknown, with why.
func TestImageUserReadsTheDockerfile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a/Dockerfile", "FROM x\nUSER 1\n")
	write("b/build/web.Dockerfile", "FROM x\nUSER 2\n")
	write("c/dockerfile", "FROM x\nUSER 3\n")
	for _, tc := range []struct {
		b    types.BuildConfig
		user string
		why  string
	}{
		{b: types.BuildConfig{Context: filepath.Join(dir, "a")}, user: "1"},
		{b: types.BuildConfig{Context: filepath.Join(dir, "a"), Dockerfile: "Dockerfile"}, user: "1"},
		{b: types.BuildConfig{Context: filepath.Join(dir, "b"), Dockerfile: "build/web.Dockerfile"}, user: "2"},
		{b: types.BuildConfig{Context: filepath.Join(dir, "c")}, user: "3"},
		{b: types.BuildConfig{Context: dir, Dockerfile: filepath.Join(dir, "a/Dockerfile")}, user: "1"},
		{b: types.BuildConfig{Context: dir, DockerfileInline: "FROM x\nUSER 4\n"}, user: "4"},
		{b: types.BuildConfig{Context: filepath.Join(dir, "none")}, why: "cannot be read: no such file"},
		{b: types.BuildConfig{Context: dir, Dockerfile: "a"}, why: "directory"},
		{b: types.BuildConfig{Context: "https://github.com/x/y.git"}, why: "not a local directory"},
	} {
		got := imageUser(&tc.b)
		if got.User != tc.user || !strings.Contains(got.Why, tc.why) || strings.Contains(got.Why, dir) {
			t.Errorf("%+v: got %+v, want user %q, why containing %q (and not the path)", tc.b, got, tc.user, tc.why)
		}
	}
}

// FuzzDockerfileUser: any Dockerfile gives a user with its line, or a
// reason why the user is unknown; never a panic.
func FuzzDockerfileUser(f *testing.F) {
	for _, tc := range dockerfileCases {
		f.Add(tc.src, tc.target, "UID")
	}
	if data, err := os.ReadFile("../examples/demo/api/Dockerfile"); err == nil {
		f.Add(string(data), "web", "")
	}
	f.Fuzz(func(t *testing.T, src, target, arg string) {
		got := dockerfileUser(src, target, map[string]string{arg: "1000"})
		lines := strings.Count(src, "\n") + 1
		if got.User != "" && (got.Why != "" || got.Line < 1 || got.Line > lines) {
			t.Errorf("user %q with line %d of %d and why %q", got.User, got.Line, lines, got.Why)
		}
		if got.User == "" && got.Why == "" {
			t.Error("unknown user without a reason")
		}
	})
}
