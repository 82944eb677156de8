package kube

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func TestSortForApplyPutsNamespacesFirstAndWorkloadsLate(t *testing.T) {
	meta := labelled("shop", "shop")
	objs := []runtime.Object{
		deployment("web", meta, "w"),
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "shop"}},
		configMap("cfg", meta),
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}},
		pvc("data", meta),
		&unstructured.Unstructured{Object: map[string]any{"apiVersion": "example.com/v1", "kind": "Widget", "metadata": map[string]any{"name": "w"}}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "s", Namespace: "shop"}},
	}
	us, err := toUnstructuredAll(objs)
	if err != nil {
		t.Fatal(err)
	}
	sortForApply(us)
	var kinds []string
	for _, u := range us {
		kinds = append(kinds, u.GetKind())
	}
	want := "Namespace ConfigMap Secret PersistentVolumeClaim Service Deployment Widget"
	if strings.Join(kinds, " ") != want {
		t.Fatalf("order %v, want %s", kinds, want)
	}
}

func readyDeployment(name string, ready bool) *appsv1.Deployment {
	d := deployment(name, labelled("shop", "shop"), "w:1")
	d.Generation = 1
	d.Status.ObservedGeneration = 1
	d.Status.Replicas = 1
	d.Status.UpdatedReplicas = 1
	if ready {
		d.Status.ReadyReplicas, d.Status.AvailableReplicas = 1, 1
	}
	d.Status.Conditions = []appsv1.DeploymentCondition{
		{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "NewReplicaSetAvailable"},
		{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionStatus(map[bool]string{true: "True", false: "False"}[ready])},
	}
	return d
}

func TestWaitReturnsWhenAllCurrent(t *testing.T) {
	web := readyDeployment("web", true)
	cfg := configMap("cfg", labelled("shop", "shop"))
	c := fakeClient(t, web, cfg)
	var seen []ObjectStatus
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Wait(ctx, []runtime.Object{web, cfg}, func(s ObjectStatus) { seen = append(seen, s) }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0].Status != status.CurrentStatus || seen[0].Ref.Kind != "Deployment" {
		t.Fatalf("statuses %+v", seen)
	}
}

func TestWaitTimesOutWithWhatIsPending(t *testing.T) {
	old := PollInterval
	PollInterval = 20 * time.Millisecond
	defer func() { PollInterval = old }()
	web := readyDeployment("web", false)
	missing := configMap("nowhere", labelled("shop", "shop"))
	c := fakeClient(t, web)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	calls := 0
	err := c.Wait(ctx, []runtime.Object{web, missing}, func(ObjectStatus) { calls++ })
	var nre *NotReadyError
	if !errors.Is(err, ErrNotReady) || !errors.As(err, &nre) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if len(nre.Pending) != 2 || nre.Pending[0].Status != status.InProgressStatus || nre.Pending[1].Status != status.NotFoundStatus {
		t.Fatalf("pending %+v", nre.Pending)
	}
	if calls != 2 {
		t.Fatalf("onChange called %d times for two unchanging objects, want 2", calls)
	}
}

func crashingPod(name string, created time.Time) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop", Labels: map[string]string{"app": "web"}, CreationTimestamp: metav1.NewTime(created)},
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning,
			ContainerStatuses: []corev1.ContainerStatus{
				{Name: "web", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 10s"}},
					LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 3}}},
				{Name: "sidecar", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}},
			},
			InitContainerStatuses: []corev1.ContainerStatus{
				{Name: "wait-db", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "PodInitializing"}}},
			},
		},
	}
}

func readyPod(name string, created time.Time) *corev1.Pod {
	p := crashingPod(name, created)
	p.Status.ContainerStatuses = nil
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
	return p
}

func TestPodProblemsFindsCrashLoopWithLogs(t *testing.T) {
	pull := crashingPod("api-1", time.Now())
	pull.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "api", State: corev1.ContainerState{
		Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImageNeverPull", Message: `image "api:dev" is not present`}}}}
	c := fakeClient(t, crashingPod("web-1", time.Now()), pull)
	got, err := c.PodProblems(context.Background(), "shop", "app=web", 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("problems %+v", got)
	}
	crash := got[0]
	if got[0].Pod != "web-1" {
		crash = got[1]
	}
	if crash.Container != "web" || crash.Reason != "CrashLoopBackOff" || crash.ExitCode == nil || *crash.ExitCode != 3 {
		t.Fatalf("crash problem %+v", crash)
	}
	if len(crash.Logs) == 0 { // the fake clientset answers every log request with "fake logs"
		t.Fatal("no log lines attached")
	}
	if s := crash.String(); !strings.Contains(s, "CrashLoopBackOff (exit code 3)") {
		t.Fatalf("String() = %q", s)
	}
}

func TestReadyPodPrefersNewestReady(t *testing.T) {
	now := time.Now()
	old := readyPod("web-old", now.Add(-time.Hour))
	newer := readyPod("web-new", now)
	terminating := readyPod("web-going", now.Add(time.Minute))
	terminating.DeletionTimestamp = &metav1.Time{Time: now}
	c := fakeClient(t, old, newer, terminating, crashingPod("web-crash", now.Add(2*time.Minute)))
	p, err := c.ReadyPod(context.Background(), "shop", "app=web")
	if err != nil || p.Name != "web-new" {
		t.Fatalf("got %v, %v", p, err)
	}
	_, err = c.ReadyPod(context.Background(), "shop", "app=nothing")
	if !errors.Is(err, ErrNoReadyPod) {
		t.Fatalf("got %v, want ErrNoReadyPod", err)
	}
}

func TestStatusOfWorkloadWithStuckPodIsFailed(t *testing.T) {
	web := readyDeployment("web", true) // kstatus alone would say Current
	c := fakeClient(t, web, crashingPod("web-1", time.Now()))
	s := c.Status(context.Background(), RefOf(toU(t, web)))
	if s.Status != status.FailedStatus || !strings.Contains(s.Message, "CrashLoopBackOff") {
		t.Fatalf("got %s %q", s.Status, s.Message)
	}
}

func TestFindProblemsCatchesAFreshCrash(t *testing.T) {
	p := readyPod("web-1", time.Now())
	p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "web", RestartCount: 1,
		State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 3, Reason: "Error"}}}}
	got := FindProblems(p)
	if len(got) != 1 || got[0].Reason != "CrashLoopBackOff" || *got[0].ExitCode != 3 || !strings.Contains(got[0].String(), "Error, restarted 1 times") {
		t.Fatalf("a container that crashed again: got %+v", got)
	}
	p.Status.ContainerStatuses[0].RestartCount = 0
	if got := FindProblems(p); len(got) != 1 || got[0].Reason != "Error" {
		t.Fatalf("a first crash: got %+v", got)
	}
	p.Spec.RestartPolicy = corev1.RestartPolicyNever // a finished Job pod is not a crash loop
	if got := FindProblems(p); len(got) != 0 {
		t.Fatalf("Never-restart pod reported: %+v", got)
	}
}
