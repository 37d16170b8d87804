#!/usr/bin/env bash
# Restore a backup of deploy/backup.sh into a FRESH, empty database and empty media folders:
#   DATABASE_URL=postgres://mutu:...@127.0.0.1:5432/mutu_baru \
#   MEDIA_ROOT=/srv/mutu/media PRIVATE_MEDIA_ROOT=/srv/mutu/private deploy/restore.sh STAMP
# It refuses a database with tables or a non-empty folder, so it never mixes two states.
set -euo pipefail
umask 077
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=deploy/pg-url.sh
source "$here/pg-url.sh"

stamp=${1:?usage: restore.sh STAMP (e.g. 20261205-020000; see ls \$BACKUP_DIR)}
: "${DATABASE_URL:?DATABASE_URL of the fresh database is not set}"
SRC=${BACKUP_DIR:-/srv/mutu/backup}
MEDIA=${MEDIA_ROOT:-/srv/mutu/media}
PRIVATE=${PRIVATE_MEDIA_ROOT:-/srv/mutu/private}
set_pg_url_from "$DATABASE_URL"

for file in "mutu-$stamp.dump" "media-$stamp.tar.gz" "private-$stamp.tar.gz"; do
  [[ -f $SRC/$file ]] || { echo "missing $SRC/$file" >&2; exit 1; }
done
tables=$(psql --no-psqlrc -Atc "select count(*) from pg_tables where schemaname = 'public'" \
  "$PG_URL")
if [[ $tables != 0 ]]; then
  echo "the database already has $tables tables: restore only into a fresh database" >&2
  exit 1
fi
for dir in "$MEDIA" "$PRIVATE"; do
  if [[ -d $dir && -n $(ls -A "$dir") ]]; then
    echo "$dir is not empty: restore only into empty folders" >&2
    exit 1
  fi
done

# --no-owner: the restoring user (the app's, from DATABASE_URL) owns everything it restores.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$PG_URL" "$SRC/mutu-$stamp.dump"
umask 022  # the app and nginx read these, as they did before the backup
mkdir -p "$MEDIA" "$PRIVATE"
tar -xzf "$SRC/media-$stamp.tar.gz" -C "$MEDIA"
tar -xzf "$SRC/private-$stamp.tar.gz" -C "$PRIVATE"
echo "restored $stamp"
