package convert

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// TestParsePortIsParsePortConfig compares parseShortPort with compose-go's
// ParsePortConfig on the forms it reads itself and around them.
func TestParsePortIsParsePortConfig(t *testing.T) {
	specs := []string{"", ":", "80", "80:", ":80", "0", "00", "080", "8080:80", "65535", "65536", "65536:80",
		"80:65536", "1:1", "-1", "+80", "80/udp", "8080:80/tcp", "127.0.0.1:80:80", "80-81:80-81", "9000-9001:80",
		"80 ", " 80", "8o", "99999:80", "0:5432", "08080:80", "80:080", "1e3", "0x50"}
	for i := 0; i <= 70000; i += 997 {
		specs = append(specs, strconv.Itoa(i), strconv.Itoa(i)+":"+strconv.Itoa(70000-i))
	}
	for _, spec := range specs {
		want, wantErr := types.ParsePortConfig(spec)
		got, gotErr := parseShortPort(spec)
		if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("parseShortPort(%q) = %+v, %v; ParsePortConfig gives %+v, %v", spec, got, gotErr, want, wantErr)
		}
	}
}

// FuzzParsePortIsParsePortConfig does the same for any spec.
func FuzzParsePortIsParsePortConfig(f *testing.F) {
	for _, s := range []string{"80", "8080:80", "0:1", "65535:65535", "1:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		want, wantErr := types.ParsePortConfig(spec)
		got, gotErr := parseShortPort(spec)
		if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("parseShortPort(%q) = %+v, %v; ParsePortConfig gives %+v, %v", spec, got, gotErr, want, wantErr)
		}
	})
}
