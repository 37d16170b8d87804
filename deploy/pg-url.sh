# Sourced by backup.sh and restore.sh: sets PG_URL from DATABASE_URL (django-environ form) as
# libpq takes it, with the password moved to PGPASSWORD so it never shows in `ps`.
# Not called as $(...): the exports must reach the calling shell.
set_pg_url_from() {
  local url=${1:?DATABASE_URL is empty}
  local scheme=${url%%://*} rest=${url#*://}
  case "$scheme" in
    postgres | postgresql | pgsql | psql) ;;
    *) echo "DATABASE_URL must be a PostgreSQL URL (postgres://...), not $scheme://" >&2; return 1 ;;
  esac
  local auth=""
  if [[ $rest == *@* ]]; then
    auth=${rest%%@*} rest=${rest#*@}
    if [[ $auth == *:* ]]; then
      local password=${auth#*:}
      auth=${auth%%:*}
      PGPASSWORD=$(printf '%b' "${password//%/\\x}")  # URL-decoded
      export PGPASSWORD
    fi
    auth="$auth@"
  fi
  PG_URL="postgresql://$auth$rest"
}
