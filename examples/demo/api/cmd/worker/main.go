// Command worker takes the jobs that web queues in Redis, records each one
// in PostgreSQL and logs every step, so `berth logs worker` shows progress.
package main

import (
	"context"
	"errors"
	"log"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"example.com/berth-demo/api/internal/resp"
	"example.com/berth-demo/api/internal/visits"
)

// idleWait is how long one BRPOP blocks; an idle worker logs once per wait.
const idleWait = 5 * time.Second

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	if err := run(); err != nil {
		log.Printf("worker: %v", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := visits.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer store.Close()
	queue := resp.New(envOr("REDIS_ADDR", "localhost:6379"))
	defer queue.Close()

	log.Printf("worker started, waiting for jobs")
	for ctx.Err() == nil {
		if err := step(ctx, store, queue); err != nil {
			log.Printf("step failed: %v (retrying in 2s)", err)
			sleep(ctx, 2*time.Second)
		}
	}
	log.Printf("worker stopped")
	return nil
}

// step waits for one job and records it, or logs that it is idle.
func step(ctx context.Context, store *visits.Store, queue *resp.Client) error {
	waitCtx, cancel := context.WithTimeout(ctx, idleWait+5*time.Second)
	defer cancel()
	job, err := queue.BRPop(waitCtx, "jobs", idleWait)
	if errors.Is(err, resp.ErrNil) {
		done, err := store.Get(ctx, "jobs_done")
		if err != nil {
			return err
		}
		log.Printf("idle: no jobs in the last %s, jobs_done=%d", idleWait, done)
		return nil
	}
	if err != nil {
		return err
	}
	log.Printf("took job %s", job)
	done, err := store.Increment(ctx, "jobs_done")
	if err != nil {
		return err
	}
	if _, err := queue.String(ctx, "SET", "jobs_done", strconv.FormatInt(done, 10)); err != nil {
		log.Printf("cache: %v", err)
	}
	log.Printf("finished job %s, jobs_done=%d", job, done)
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
