package render

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"berth/convert"
	"berth/internal/gencompose"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// generatedObjects converts a generated project big enough for the
// parallel path (the golden fixtures are all below it).
func generatedObjects(t testing.TB, services int) []convert.Object {
	t.Helper()
	path := filepath.Join(t.TempDir(), "compose.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := gencompose.Write(f, services, gencompose.Diamond); err != nil {
		t.Fatal(err)
	}
	f.Close()
	l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{path}, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := convert.Convert(l.Project, l.Options())
	if err != nil {
		t.Fatal(err)
	}
	return b.Objects
}

func TestParallelStreamIsTheSequentialOne(t *testing.T) {
	objs := generatedObjects(t, 150)
	if len(objs) < parallelMin {
		t.Fatalf("%d objects do not reach the parallel path (%d)", len(objs), parallelMin)
	}
	var seq bytes.Buffer
	bw := newYAMLWriter()
	for i, o := range objs {
		y, err := bw.objectYAML(o)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			seq.WriteString("---\n")
		}
		seq.Write(y)
	}
	for _, workers := range []int{2, 3, 8} {
		var par bytes.Buffer
		if err := writeStreamParallel(&par, objs, workers); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(par.Bytes(), seq.Bytes()) {
			t.Fatalf("%d workers: the stream differs from the sequential one (%d vs %d bytes)", workers, par.Len(), seq.Len())
		}
	}
}

// unencodable is an object JSON cannot encode, so objectYAML fails on it.
type unencodable struct {
	metav1.TypeMeta
	metav1.ObjectMeta
}

func (u *unencodable) DeepCopyObject() runtime.Object { return u }
func (u *unencodable) MarshalJSON() ([]byte, error)   { return nil, errors.New("cannot encode") }

func TestParallelStreamStopsAtAnError(t *testing.T) {
	objs := generatedObjects(t, 150)
	bad := append(append([]convert.Object{}, objs[:200]...), &unencodable{})
	bad = append(bad, objs[200:]...)
	var out bytes.Buffer
	if err := writeStreamParallel(&out, bad, 3); err == nil || !strings.Contains(err.Error(), "cannot encode") {
		t.Fatalf("err = %v, want the object's encoding error", err)
	}
}
