package fanoutbench

import "time"

// histogram counts latencies in 1 ms buckets up to 10 s (bounded memory
// whatever the number of lines).
type histogram struct {
	buckets [10001]int64
	total   int64
}

func (h *histogram) add(d time.Duration, n int64) {
	ms := int(d / time.Millisecond)
	h.buckets[max(0, min(ms, len(h.buckets)-1))] += n
	h.total += n
}

func (h *histogram) merge(o *histogram) {
	for i, n := range o.buckets {
		h.buckets[i] += n
	}
	h.total += o.total
}

// quantile returns the upper edge of the bucket holding quantile q.
func (h *histogram) quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := int64(q * float64(h.total))
	var seen int64
	for i, n := range h.buckets {
		seen += n
		if seen > rank {
			return time.Duration(i+1) * time.Millisecond
		}
	}
	return time.Duration(len(h.buckets)) * time.Millisecond
}

func (h *histogram) max() time.Duration {
	for i := len(h.buckets) - 1; i >= 0; i-- {
		if h.buckets[i] > 0 {
			return time.Duration(i+1) * time.Millisecond
		}
	}
	return 0
}
