#!/bin/sh
# Take a backup of the Gastvrij database into FOLDER and apply the retention:
#   every backup of the last KEEP_ALL_DAYS days (default 2), then the newest of each day up to
#   KEEP_DAYS days (default 35); older ones are deleted.
# Usage: deploy/backup.sh FOLDER   (GASTVRIJ_DATABASE_URL from the environment, as for the service)
set -eu
folder=${1:?usage: backup.sh FOLDER}
keep_all_days=${KEEP_ALL_DAYS:-2}
keep_days=${KEEP_DAYS:-35}
python=${GASTVRIJ_PYTHON:-/opt/gastvrij/.venv/bin/python}

mkdir -p "$folder"
"$python" -m queue_ticketing db backup --to "$folder/gastvrij-$(date -u +%Y%m%dT%H%M%S).backup"

# Older than KEEP_DAYS: gone.
find "$folder" -maxdepth 1 -name 'gastvrij-*.backup' -mtime +"$((keep_days - 1))" -delete
# Older than KEEP_ALL_DAYS: only the newest of each day stays (names sort by time).
find "$folder" -maxdepth 1 -name 'gastvrij-*.backup' -mtime +"$((keep_all_days - 1))" | sort -r |
  while read -r file; do
    day=$(basename "$file" | cut -c10-17)
    if [ "$day" = "${last_day:-}" ]; then rm -f -- "$file"; fi
    last_day=$day
  done
