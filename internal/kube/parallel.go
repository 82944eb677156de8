package kube

import (
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Concurrency bounds the requests Apply, Diff and Wait have in flight. Against
// a remote cluster each object costs two round trips; doing them one by one
// would make a 20-service plan take seconds of pure latency.
var Concurrency = 8

// parallel runs fn(i) for i in [0,n) with at most Concurrency at once.
func parallel(n int, fn func(i int)) {
	limit := max(Concurrency, 1)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// byRank runs fn over objects already sorted by sortForApply, one rank after
// the other (namespaces before config before workloads) and in parallel within
// a rank, whose objects do not depend on each other.
func byRank(us []*unstructured.Unstructured, fn func(i int)) {
	for start := 0; start < len(us); {
		end := start + 1
		for end < len(us) && rankOf(us[end].GetKind()) == rankOf(us[start].GetKind()) {
			end++
		}
		s := start
		parallel(end-start, func(i int) { fn(s + i) })
		start = end
	}
}
