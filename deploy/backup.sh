#!/usr/bin/env bash
# Nightly backup of what a restore needs: the database of DATABASE_URL (pg_dump, custom format),
# MEDIA_ROOT and PRIVATE_MEDIA_ROOT (tar.gz), all readable by the owner only, kept 14 days.
# Restore into a fresh database: deploy/restore.sh STAMP (README, "Produksi").
# Prints the stamp of the backup it wrote (e.g. 20261205-020000).
set -euo pipefail
umask 077  # dumps hold citizens' answers: owner-only from the first byte
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=deploy/pg-url.sh
source "$here/pg-url.sh"

: "${DATABASE_URL:?DATABASE_URL is not set (EnvironmentFile=/srv/mutu/app/.env)}"
DEST=${BACKUP_DIR:-/srv/mutu/backup}
MEDIA=${MEDIA_ROOT:-/srv/mutu/media}
PRIVATE=${PRIVATE_MEDIA_ROOT:-/srv/mutu/private}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
set_pg_url_from "$DATABASE_URL"
stamp=$(date +%Y%m%d-%H%M%S)

mkdir -p "$DEST"
chmod 700 "$DEST"
# Written under a temporary name first: a failed run never leaves a file that looks complete.
pg_dump --format=custom --file="$DEST/.mutu-$stamp.dump.partial" --dbname="$PG_URL"
mv "$DEST/.mutu-$stamp.dump.partial" "$DEST/mutu-$stamp.dump"

archive_folder() {  # archive_folder NAME DIR: the folder's contents, so it restores anywhere
  local name=$1 dir=$2 empty=""
  if [[ ! -d $dir ]]; then  # nothing stored yet: an empty archive, so a restore finds all three
    empty=$(mktemp -d)
    dir=$empty
  fi
  tar -czf "$DEST/.$name-$stamp.tar.gz.partial" -C "$dir" .
  [[ -z $empty ]] || rmdir "$empty"
  mv "$DEST/.$name-$stamp.tar.gz.partial" "$DEST/$name-$stamp.tar.gz"
}
archive_folder media "$MEDIA"
archive_folder private "$PRIVATE"
chmod 600 "$DEST/mutu-$stamp.dump" "$DEST/media-$stamp.tar.gz" "$DEST/private-$stamp.tar.gz"

find "$DEST" -maxdepth 1 \( -name 'mutu-*.dump' -o -name 'media-*.tar.gz' \
  -o -name 'private-*.tar.gz' -o -name '.*.partial' \) -mtime "+$KEEP_DAYS" -delete
echo "$stamp"
