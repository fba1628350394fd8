#!/bin/sh
# Restart the Gastvrij service processes one after the other, so nginx always has one to send
# requests to: for each running gastvrij@PORT, `systemctl restart` (returns once the new process is
# ready: Type=notify), a health check on its port, then a pause longer than nginx's fail_timeout (3 s)
# so nginx sends it requests again before the next one stops.
# Usage (root): /opt/gastvrij/deploy/rolling-restart.sh
set -eu
settle=${SETTLE_SECONDS:-5}
units=$(systemctl list-units --plain --no-legend --state=active 'gastvrij@*.service' | awk '{print $1}')
[ -n "$units" ] || { echo "no gastvrij@PORT service is running" >&2; exit 1; }
for unit in $units; do
  port=${unit#gastvrij@}
  port=${port%.service}
  echo "restarting $unit"
  systemctl restart "$unit"
  curl -fsS --max-time 5 "http://127.0.0.1:$port/api/v1/health" >/dev/null
  sleep "$settle"
done
echo "all restarted: $units"
