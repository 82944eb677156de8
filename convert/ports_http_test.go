package convert

import (
	"fmt"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

func TestGuessPort(t *testing.T) {
	cases := []struct {
		name, image, expose, appProtocol string
		port                             int32
		published                        int
		want                             portGuess
	}{
		{"nginx 80", "nginx:1.27", "", "", 80, 2, portGuess{http: true}},
		{"nginx 443", "nginx:1.27", "", "", 443, 2, portGuess{tls: "port number"}},
		{"nginx 443 alone", "nginx:1.27", "", "", 443, 1, portGuess{tls: "port number"}},
		{"nginx 8443", "nginx", "", "", 8443, 3, portGuess{tls: "port number"}},
		{"nginx rtmp next to 80", "nginx", "", "", 1935, 2, portGuess{}},
		{"caddy single port", "caddy:2", "", "", 2019, 1, portGuess{http: true}},
		{"app_protocol https", "example/api", "", "https", 9000, 2, portGuess{tls: "app_protocol https"}},
		{"app_protocol http", "example/api", "", "http", 7000, 2, portGuess{http: true}},
		{"expose http wins over 443", "nginx", "http", "", 443, 1, portGuess{http: true}},
		{"expose tcp wins over 8080", "example/api", "tcp", "", 8080, 1, portGuess{}},
		{"plain 8080", "example/api", "", "", 8080, 1, portGuess{http: true}},
		{"postgres", "postgres:16", "", "", 5432, 1, portGuess{}},
	}
	for _, tc := range cases {
		s := types.ServiceConfig{Name: "s"}
		s.Image = tc.image
		if got := guessPort(s, ServiceExt{Expose: tc.expose}, tc.port, tc.appProtocol, tc.published); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestTLSPortsGetALoadBalancer: nginx's 443 never goes through the Ingress
// (which would send it plain HTTP); the report says why.
func TestTLSPortsGetALoadBalancer(t *testing.T) {
	b := convertYAML(t, "services:\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\", \"443:443\", \"1935:1935\"]\n", "prod")
	ing := findObject[*networkingv1.Ingress](b, "Ingress", "web")
	if ing == nil || len(ing.Spec.Rules) != 1 || ing.Spec.Rules[0].HTTP.Paths[0].Backend.Service.Port.Number != 80 {
		t.Fatalf("Ingress should route port 80 only: %+v", ing)
	}
	lb := findObject[*corev1.Service](b, "Service", "web-public")
	var ports []int32
	for _, p := range lb.Spec.Ports {
		ports = append(ports, p.Port)
	}
	if lb.Spec.Type != corev1.ServiceTypeLoadBalancer || len(ports) != 2 || ports[0] != 443 || ports[1] != 1935 {
		t.Errorf("web-public ports %v, want 443 and 1935 on a LoadBalancer", ports)
	}
	var why bool
	for _, n := range b.Report.Notes {
		why = why || strings.Contains(n, "web port 443 looks like TLS (port number)")
	}
	if !why {
		t.Errorf("the report does not say why 443 is not on the Ingress: %v", b.Report.Notes)
	}
}

// A UDP port is never an HTTP route, and a TCP port published for UDP too
// (syslog on 5000, DNS) is not taken for HTTP by its number: both go to the
// load balancer, while a plain HTTP port still gets the Ingress.
func TestUDPPortIsNeverHTTP(t *testing.T) {
	b := convertYAML(t, "services:\n  web:\n    image: example/web:1\n    ports: [\"80:80\", \"5000:5000\", \"5000:5000/udp\", \"8080:8080/udp\"]\n", "prod")
	ing := findObject[*networkingv1.Ingress](b, "Ingress", "web")
	if ing == nil || len(ing.Spec.Rules) != 1 || ing.Spec.Rules[0].HTTP.Paths[0].Backend.Service.Port.Number != 80 {
		t.Fatalf("Ingress should route 80 only: %+v", ing)
	}
	lb := findObject[*corev1.Service](b, "Service", "web-public")
	var ports []string
	for _, p := range lb.Spec.Ports {
		ports = append(ports, fmt.Sprintf("%d/%s", p.Port, p.Protocol))
	}
	if got := strings.Join(ports, " "); got != "5000/TCP 5000/UDP 8080/UDP" {
		t.Errorf("web-public ports %s, want 5000/TCP 5000/UDP 8080/UDP", got)
	}
}

// "0:5432" (any free host port) gets the container port: a load balancer
// port 0 is refused by the API server.
func TestPublishedPortZeroIsTheContainerPort(t *testing.T) {
	b := convertYAML(t, "services:\n  db:\n    image: postgres:16\n    environment: {POSTGRES_PASSWORD: x}\n    ports: [\"0:5432\"]\n", "prod")
	lb := findObject[*corev1.Service](b, "Service", "db-public")
	if lb == nil || len(lb.Spec.Ports) != 1 || lb.Spec.Ports[0].Port != 5432 {
		t.Fatalf("db-public should listen on 5432: %+v", lb)
	}
	if len(b.Ports) != 1 || b.Ports[0].HostPort != 5432 {
		t.Errorf("published ports %+v, want host port 5432 for berth up", b.Ports)
	}
}

// "9000-9001:80" is one port docker picks from the range, not 9001 → 81.
func TestHostPortRangeForOneContainerPort(t *testing.T) {
	b := convertYAML(t, "services:\n  broker:\n    image: example/broker:1\n    ports: [\"9000-9001:7000\"]\n", "prod")
	if len(b.Ports) != 1 || b.Ports[0].HostPort != 9000 || b.Ports[0].ContainerPort != 7000 {
		t.Errorf("published ports %+v, want 9000 → 7000 only", b.Ports)
	}
}
