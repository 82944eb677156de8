// kindnet-lite is a tiny stand-in for kind's kindnetd, for clusters built fully
// offline. It runs as a hostNetwork DaemonSet on every node and:
//   - writes /etc/cni/net.d/10-kindnet.conflist for its own node (ptp + host-local
//     IPAM over the node's spec.podCIDR, plus portmap), using the Debian/upstream
//     CNI plugins already present on the node;
//   - keeps a route to every other node's podCIDR via that node's InternalIP.
//
// It does not implement NetworkPolicy and does not manage masquerading itself
// (the ptp plugin's ipMasq does that on the node).
//
// Environment (same names as kind's kindnetd manifest): HOST_IP, POD_SUBNET,
// CONTROL_PLANE_ENDPOINT (host:port, optional; bypasses the kubernetes Service).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/vishvananda/netlink"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

const cniConfPath = "/etc/cni/net.d/10-kindnet.conflist"

func main() {
	hostIP := os.Getenv("HOST_IP")
	if hostIP == "" {
		log.Fatal("HOST_IP is required")
	}
	cfg, err := rest.InClusterConfig()
	if err != nil {
		log.Fatalf("in-cluster config: %v", err)
	}
	if ep := os.Getenv("CONTROL_PLANE_ENDPOINT"); ep != "" {
		cfg.Host = "https://" + ep
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		log.Fatalf("client: %v", err)
	}
	mtu := mtuFor(hostIP)
	log.Printf("kindnet-lite starting: HOST_IP=%s POD_SUBNET=%s mtu=%d", hostIP, os.Getenv("POD_SUBNET"), mtu)
	for {
		if err := sync(cs, hostIP, mtu); err != nil {
			log.Printf("sync: %v", err)
		}
		time.Sleep(10 * time.Second)
	}
}

func mtuFor(hostIP string) int {
	links, err := netlink.LinkList()
	if err != nil {
		return 1500
	}
	for _, l := range links {
		addrs, _ := netlink.AddrList(l, netlink.FAMILY_ALL)
		for _, a := range addrs {
			if a.IP.String() == hostIP {
				return l.Attrs().MTU
			}
		}
	}
	return 1500
}

func internalIP(n *corev1.Node) string {
	for _, a := range n.Status.Addresses {
		if a.Type == corev1.NodeInternalIP && net.ParseIP(a.Address).To4() != nil {
			return a.Address
		}
	}
	return ""
}

func sync(cs kubernetes.Interface, hostIP string, mtu int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range nodes.Items {
		n := &nodes.Items[i]
		ip := internalIP(n)
		cidrs := n.Spec.PodCIDRs
		if len(cidrs) == 0 && n.Spec.PodCIDR != "" {
			cidrs = []string{n.Spec.PodCIDR}
		}
		if ip == "" || len(cidrs) == 0 {
			continue
		}
		if ip == hostIP {
			if err := writeCNIConfig(cidrs, mtu); err != nil {
				return err
			}
			continue
		}
		for _, c := range cidrs {
			_, dst, err := net.ParseCIDR(c)
			if err != nil || dst.IP.To4() == nil {
				continue
			}
			r := &netlink.Route{Dst: dst, Gw: net.ParseIP(ip)}
			if err := netlink.RouteReplace(r); err != nil {
				log.Printf("route %s via %s: %v", c, ip, err)
			}
		}
	}
	return nil
}

func writeCNIConfig(cidrs []string, mtu int) error {
	var ranges [][]map[string]string
	for _, c := range cidrs {
		if _, n, err := net.ParseCIDR(c); err == nil && n.IP.To4() != nil {
			ranges = append(ranges, []map[string]string{{"subnet": c}})
		}
	}
	conf := map[string]any{
		"cniVersion": "0.3.1",
		"name":       "kindnet",
		"plugins": []any{
			map[string]any{
				"type":   "ptp",
				"ipMasq": true,
				"mtu":    mtu,
				"ipam": map[string]any{
					"type":    "host-local",
					"dataDir": "/run/cni-ipam-state",
					"routes":  []map[string]string{{"dst": "0.0.0.0/0"}},
					"ranges":  ranges,
				},
			},
			map[string]any{"type": "portmap", "capabilities": map[string]bool{"portMappings": true}},
		},
	}
	b, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(cniConfPath); err == nil && string(old) == string(b) {
		return nil
	}
	tmp := filepath.Join(filepath.Dir(cniConfPath), ".10-kindnet.conflist.tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, cniConfPath); err != nil {
		return err
	}
	fmt.Printf("wrote %s for %v\n", cniConfPath, cidrs)
	return nil
}
