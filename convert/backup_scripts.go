package convert

// Shell scripts of the backup and restore pods. Dumps are named
// <service>-<UTC timestamp><ext>, so the newest one sorts last (sh globs and
// `sort` agree) and "latest" needs no listing by date.

// BackupLogPrefix starts the log line naming a finished backup; `berth
// backup` reads it from the Job's logs.
const BackupLogPrefix = "berth-backup: "

// RestoreLogPrefix starts the log line naming the backup a restore used.
const RestoreLogPrefix = "berth-restore: "

const scriptHead = `set -eu
NAME="$BACKUP_PREFIX-$(date -u +%Y%m%dT%H%M%SZ)$BACKUP_EXT"
`

// pvcBackupScript dumps into the backup PVC and keeps the newest RETAIN dumps.
func pvcBackupScript(spec dbSpec) string {
	return scriptHead + `OUT="/backups/.$NAME.partial"
` + spec.dump + `mv "$OUT" "/backups/$NAME"
echo "` + BackupLogPrefix + `$NAME"
set -- /backups/"$BACKUP_PREFIX"-[0-9]*Z"$BACKUP_EXT"; n=$#
for f; do
  if [ "$n" -gt "$RETAIN" ] && [ -e "$f" ]; then rm -f "$f"; echo "deleted old backup ${f#/backups/}"; n=$((n-1)); fi
done
`
}

// s3DumpScript dumps into the pod's work directory for the upload container.
func s3DumpScript(spec dbSpec) string {
	return scriptHead + `OUT="/work/$NAME"
` + spec.dump + `echo "$NAME" > /work/.name
`
}

// s3UploadScript uploads the dump with rclone and keeps the newest RETAIN.
const s3UploadScript = `set -eu
NAME=$(cat /work/.name)
REMOTE="dst:$S3_BUCKET/$BACKUP_PREFIX"
rclone copyto "/work/$NAME" "$REMOTE/$NAME"
echo "` + BackupLogPrefix + `$NAME"
rclone lsf "$REMOTE/" --include "$BACKUP_PREFIX-*$BACKUP_EXT" | sort > /tmp/dumps
excess=$(( $(wc -l < /tmp/dumps) - RETAIN ))
if [ "$excess" -gt 0 ]; then
  head -n "$excess" /tmp/dumps | while read -r f; do rclone deletefile "$REMOTE/$f"; echo "deleted old backup $f"; done
fi
`

// pvcRestoreScript restores BACKUP_NAME (or the newest) from the backup PVC.
func pvcRestoreScript(spec dbSpec) string {
	return `set -eu
if [ "$BACKUP_NAME" = latest ]; then
  BACKUP_NAME=""
  for f in /backups/"$BACKUP_PREFIX"-[0-9]*Z"$BACKUP_EXT"; do [ -e "$f" ] && BACKUP_NAME="${f#/backups/}"; done
fi
IN="/backups/$BACKUP_NAME"
if [ -z "$BACKUP_NAME" ] || [ ! -f "$IN" ]; then echo "no backup ${BACKUP_NAME:-of $BACKUP_PREFIX} in /backups" >&2; exit 1; fi
echo "` + RestoreLogPrefix + `$BACKUP_NAME"
` + spec.restore + `echo "restored $BACKUP_NAME"
`
}

// s3FetchScript downloads BACKUP_NAME (or the newest) into the work directory.
const s3FetchScript = `set -eu
REMOTE="dst:$S3_BUCKET/$BACKUP_PREFIX"
if [ "$BACKUP_NAME" = latest ]; then
  BACKUP_NAME=$(rclone lsf "$REMOTE/" --include "$BACKUP_PREFIX-*$BACKUP_EXT" | sort | tail -n 1)
fi
if [ -z "$BACKUP_NAME" ]; then echo "no backup of $BACKUP_PREFIX in $REMOTE" >&2; exit 1; fi
rclone copyto "$REMOTE/$BACKUP_NAME" "/work/$BACKUP_NAME"
echo "$BACKUP_NAME" > /work/.name
`

// s3RestoreScript restores what the fetch container downloaded.
func s3RestoreScript(spec dbSpec) string {
	return `set -eu
BACKUP_NAME=$(cat /work/.name)
IN="/work/$BACKUP_NAME"
echo "` + RestoreLogPrefix + `$BACKUP_NAME"
` + spec.restore + `echo "restored $BACKUP_NAME"
`
}
