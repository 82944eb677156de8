// Package promote rolls the manifests `berth convert --env prod` prints out to a
// real cluster, safely: it pushes the images `berth up` built and pins every
// image by digest, plans (server-side dry-run and a field-level diff against
// what is live), checks the gates (tested locally, no data loss, not the local
// cluster, secrets present, images pinned), applies with server-side apply,
// prunes what an earlier promotion created and this one no longer has, waits
// for every workload, rolls back to the previous successful promotion when the
// rollout fails, and records everything in the store and on the objects.
//
// It never touches the local environment: it reads the compose files, the
// local docker images and the store's record of local runs, nothing else.
//
// Decisions worth knowing:
//
//   - Images. A service with `build:` was built by `berth up` as the local
//     environment names it (<project>-<service>:latest); promote reads that
//     image from docker, pushes it under the target environment's name
//     (registry knob or --registry, tag per the tag policy) and references it
//     by digest alone (repo@sha256:...), so a new commit whose image did not
//     change rolls nothing. Every other image keeps its tag and gets the
//     registry's digest (repo:tag@sha256:...). An image that cannot be
//     resolved refuses the promotion unless --allow-unpinned.
//   - Namespace. A real promotion creates the namespace before the dry run
//     (namespaced dry runs need it), even if the user then answers no. A
//     --dry-run changes nothing on the target: without the namespace, its
//     objects are listed as created from their rendered form, with a note
//     that the server did not validate them.
//   - Diff. Changes of only the provenance annotations (compose hash, git
//     commit) count as unchanged; they are still applied. A plan where nothing
//     else changes says "nothing changes" and applies nothing.
//   - Volume claim templates. The API server forbids changing them; convert
//     writes the compose hash into their metadata, so promote keeps the live
//     templates' provenance annotations (and new templates get none). PVCs
//     created from a kept StatefulSet's templates are never prune candidates.
//   - Secrets. Values come from the sources `berth up` uses (.env, env_file,
//     secret files, the environment), else from the Secret already in the
//     target; they are held in memory and sent only to the API server. The
//     recorded manifests carry no values, so a rollback leaves Secrets as
//     they are live.
//   - Audit. Every promotion that got past planning is recorded, refusals
//     included (result failed). Once recorded, the objects get the
//     annotations berth.dev/promotion-id, promoted-at, promoted-by and
//     manifest-hash through their own field manager (berth-audit): they never
//     appear in a later diff and, being on the objects and not on pod
//     templates, never restart a pod (a Deployment's generation does move).
//   - Blue-green: see bluegreen.go.
//   - Failing rollouts on the test control plane: its pods never get Ready
//     when their template carries testcluster.NotReadyLabel; the end-to-end
//     test adds it through Options.EditObjects, the stand-in for a broken
//     image (no container runs there).
package promote
