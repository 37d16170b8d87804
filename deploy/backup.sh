#!/usr/bin/env bash
# Nightly backup: compressed pg_dump + media, keeping 14 days. Restore: pg_restore -d DB FILE.
set -euo pipefail
DEST=${BACKUP_DIR:-/srv/mutu/backup}
DB=${BACKUP_DB:-mutu}
MEDIA=${MEDIA_ROOT:-/srv/mutu/media}
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$DEST"
pg_dump --format=custom --file="$DEST/mutu-$stamp.dump" "$DB"
tar -czf "$DEST/media-$stamp.tar.gz" -C "$(dirname "$MEDIA")" "$(basename "$MEDIA")"
find "$DEST" -name 'mutu-*.dump' -mtime +14 -delete
find "$DEST" -name 'media-*.tar.gz' -mtime +14 -delete
