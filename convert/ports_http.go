package convert

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// httpPorts are container ports that usually speak plain HTTP.
var httpPorts = map[int32]bool{80: true, 3000: true, 4000: true, 5000: true, 8000: true,
	8008: true, 8080: true, 8081: true, 8088: true, 8888: true, 9000: true, 9090: true}

// tlsPorts are container ports that usually speak TLS (HTTPS, IMAPS,
// LDAPS, AMQPS, MQTTS, the Kubernetes API...). An Ingress or HTTPRoute
// would send them plain HTTP, so they go through a LoadBalancer, which
// passes TLS through to the container.
var tlsPorts = map[int32]bool{443: true, 465: true, 636: true, 853: true, 993: true, 995: true,
	2376: true, 4443: true, 5671: true, 6443: true, 8443: true, 8883: true, 9443: true}

var httpImages = []string{"nginx", "httpd", "caddy", "traefik", "apache", "wordpress", "nextcloud", "grafana", "jenkins", "kibana"}

// portGuess says how a published port is exposed in prod: HTTP (Ingress or
// HTTPRoute) or not, and, for a port kept off HTTP because it looks like
// TLS, why.
type portGuess struct {
	http bool
	tls  string // why it looks like TLS, "" when it does not
}

// guessPort classifies one published container port of s; published is how
// many ports s publishes. An explicit x-berth.expose wins, then
// app_protocol, then TLS-looking numbers (so that nginx's 443 is never sent
// plain HTTP), then HTTP-looking numbers; an HTTP-looking image makes its
// port HTTP only when it publishes a single one (nginx with 80 and 1935:
// 1935 is RTMP, not HTTP).
func guessPort(s types.ServiceConfig, ext ServiceExt, port int32, appProtocol string, published int) portGuess {
	if ext.Expose != "" {
		return portGuess{http: strings.EqualFold(ext.Expose, "http")}
	}
	proto := strings.ToLower(appProtocol)
	switch {
	case strings.HasPrefix(proto, "https") || proto == "tls":
		return portGuess{tls: "app_protocol " + appProtocol}
	case strings.HasPrefix(proto, "http"):
		return portGuess{http: true}
	case tlsPorts[port]:
		return portGuess{tls: "port number"}
	case httpPorts[port]:
		return portGuess{http: true}
	}
	return portGuess{http: published == 1 && isHTTPImage(s.Image)}
}

func isHTTPImage(image string) bool {
	base := imageBase(image)
	for _, img := range httpImages {
		if strings.Contains(base, img) {
			return true
		}
	}
	return false
}

// publishedCount is how many host ports s publishes (ranges count each port).
func publishedCount(s types.ServiceConfig) int {
	n := 0
	for _, p := range s.Ports {
		if p.Published != "" {
			lo, hi := portRange(p.Published)
			n += int(min(hi-lo, 999)) + 1
		}
	}
	return n
}
