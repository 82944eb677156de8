#!/usr/bin/env bash
# Runs the demo with plain `docker run` on a user-defined network (no compose,
# no cluster) and checks it end to end: web answers on :8080, the counter
# increments, the worker processes the jobs, and the data survives the db
# container being removed and recreated on the same volume.
#
#   ./docker-run.sh          run the checks, then remove everything
#   KEEP=1 ./docker-run.sh   leave the containers running (./docker-run.sh down removes them)
#
# Needs the base images: ../../hack/demo-images.sh on machines without a registry.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

P=berth-demo-run # prefix for every docker object this script creates
PORT=${PORT:-8080}

down() {
	docker rm -f "$P-web" "$P-worker" "$P-db" "$P-cache" >/dev/null 2>&1 || true
	docker volume rm "$P-db-data" >/dev/null 2>&1 || true
	docker network rm "$P" >/dev/null 2>&1 || true
}
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '%s %s\n' "$(date +%T)" "$*"; }

wait_healthy() {
	local name=$1 i
	for i in $(seq 60); do
		[ "$(docker inspect -f '{{.State.Health.Status}}' "$name")" = healthy ] && { step "$name healthy after ${i}s"; return; }
		sleep 1
	done
	docker logs --tail 20 "$name" >&2
	fail "$name not healthy after 60s"
}

visits() { curl -fsS "localhost:$PORT/" | sed -n 's/.*"visits":\([0-9]*\).*/\1/p'; }

run_db() {
	docker run -d --name "$P-db" --network "$P" --network-alias db \
		-e POSTGRES_USER=demo -e POSTGRES_PASSWORD -e POSTGRES_DB=demo \
		-v "$P-db-data:/var/lib/postgresql/data" \
		--health-cmd 'pg_isready -U demo' --health-interval 1s postgres:15 >/dev/null
}

up() {
	set -a && . ./.env && set +a
	local url="postgres://demo:${POSTGRES_PASSWORD}@db:5432/demo?sslmode=disable" start=$SECONDS
	step "building web and worker (DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-default})"
	docker build -q --target web -t berth-demo-web api >/dev/null
	docker build -q --target worker -t berth-demo-worker api >/dev/null
	step "built in $((SECONDS - start))s"
	docker network create "$P" >/dev/null
	docker volume create "$P-db-data" >/dev/null
	run_db
	docker run -d --name "$P-cache" --network "$P" --network-alias cache \
		--health-cmd 'redis-cli ping' --health-interval 1s redis:7 redis-server --protected-mode no >/dev/null
	wait_healthy "$P-db"
	docker run -d --name "$P-web" --network "$P" --network-alias web -p "$PORT:8080" \
		-e DATABASE_URL="$url" -e REDIS_ADDR=cache:6379 \
		--health-cmd 'web healthcheck' --health-interval 1s berth-demo-web >/dev/null
	docker run -d --name "$P-worker" --network "$P" \
		-e DATABASE_URL="$url" -e REDIS_ADDR=cache:6379 berth-demo-worker >/dev/null
	wait_healthy "$P-web"
}

check() {
	local a b c
	a=$(visits) b=$(visits)
	[ "$b" -eq $((a + 1)) ] || fail "counter did not increment: $a then $b"
	step "GET / visits=$a then $b"
	sleep 1
	docker logs "$P-worker" 2>&1 | grep -q "finished job visit-$b" || fail "worker did not process visit-$b"
	step "worker: $(docker logs "$P-worker" 2>&1 | grep 'finished job' | tail -1 | cut -d' ' -f3-)"

	docker rm -f "$P-db" >/dev/null
	run_db
	wait_healthy "$P-db"
	c=$(visits)
	[ "$c" -eq $((b + 1)) ] || fail "data lost across db recreation: $b then $c"
	docker logs "$P-db" 2>&1 | grep -q 'init process complete' && fail "db re-initialised its volume"
	step "db recreated on its volume: visits=$c (kept)"
	echo "PASS"
}

if [ "${1:-}" = down ]; then down; exit 0; fi
down
[ "${KEEP:-}" = 1 ] || trap down EXIT
up
check
