#!/bin/sh
# Haven's container entrypoint (also runnable outside Docker: a test does exactly that).
#
#   serve (default)   start Haven: migrations run at start (after an automatic backup when some
#                     are pending), then it listens on HOST:PORT (0.0.0.0 unless set)
#   backup [args]     take an online backup now (see docs/operations.md)
#   restore [args]    check and restore a backup (Haven must be stopped)
#   migrate | outbox | audit-verify | seed-demo | create-admin [args]
#                     the operator commands (README.md), e.g.
#                     docker compose exec haven docker/entrypoint.sh outbox
#   anything else     run that command
#
# Every branch uses exec, so the process that receives SIGTERM from Docker is Node itself.
set -eu

cd "$(dirname "$0")/.."
export HOST="${HOST:-0.0.0.0}"

if [ ! -f dist/server/main.js ]; then
  echo "haven: dist/server/main.js is missing; build first (npm run build)" >&2
  exit 1
fi

command="${1:-serve}"
[ "$#" -gt 0 ] && shift
case "$command" in
  serve) exec node --enable-source-maps dist/server/main.js "$@" ;;
  backup) exec node dist/server/cli/backup.js "$@" ;;
  restore) exec node dist/server/cli/restore.js "$@" ;;
  migrate | outbox | audit-verify | seed-demo | create-admin) exec node "dist/server/cli/$command.js" "$@" ;;
  *) exec "$command" "$@" ;;
esac
