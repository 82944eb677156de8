package convert

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"
)

// compose-go parses the short port syntax with docker's nat package, whose
// errors name neither the file nor the entry ("invalid hostPort: 99999").
// berth finds the entry that holds the value and says what the syntax is.
var rePortSyntax = lazyRegexp(`(?i)^(invalid (?:IP address|containerPort|hostPort|proto|port '[^']*')|no port specified|invalid ranges specified for container and host Ports): `)

const portSyntax = `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], as in "8080:80" or "127.0.0.1:53:53/udp"`

// portSyntaxError explains a nat error, or returns nil when no ports entry
// holds the value it names.
func portSyntaxError(err error, src *sources) *LoadError {
	m := rePortSyntax().FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	file, line, key, entry := src.portEntryFailing(err.Error())
	if line == 0 {
		return nil
	}
	return &LoadError{
		File: file, Line: line, Key: key, Kind: ErrSchema, Err: err,
		Msg: fmt.Sprintf("%q is not a port mapping (%s): write %s", entry, portProblem(m[1]), portSyntax),
	}
}

// portProblem words nat's complaint.
func portProblem(complaint string) string {
	c := strings.ToLower(complaint)
	for prefix, words := range map[string]string{
		"invalid ip": "bad host IP", "invalid containerport": "bad container port", "invalid hostport": "bad host port",
		"invalid proto": "the protocol must be tcp, udp or sctp", "no port": "no container port",
		"invalid ranges": "the host and container ranges differ in size",
	} {
		if strings.HasPrefix(c, prefix) {
			return words
		}
	}
	return c
}

// portEntryFailing finds the first short-syntax ports entry that compose-go
// fails to parse with this message.
func (s *sources) portEntryFailing(msg string) (file string, line int, key, entry string) {
	s.eachServiceEntry("ports", func(f, service string, i int, item *yaml.Node) bool {
		if item.Kind != yaml.ScalarNode {
			return false
		}
		if _, err := types.ParsePortConfig(item.Value); err != nil && err.Error() == msg {
			file, line, key, entry = s.rel(f), item.Line, "services."+service+".ports["+strconv.Itoa(i)+"]", item.Value
			return true
		}
		return false
	})
	return file, line, key, entry
}
