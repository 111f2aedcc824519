#!/bin/sh
# Runs every trace program of this folder on real libuv and writes (or, with
# --check, compares) its output in expected/<version>/<name>.txt.
#
#   docs/traces/record.sh            record with Debian's luv (libuv 1.44.2),
#                                    and with the luv build named by
#                                    UVTS_LUV_1_52 (a folder holding luv.so,
#                                    linked with libuv 1.52.1) if it is set
#   docs/traces/record.sh --check    the same, but fail on any difference
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-record}
status=0

run_all() {  # $1 = version label, $2 = LUA_CPATH prefix ('' for the system luv)
  mkdir -p "$here/expected/$1"
  for script in "$here"/*.lua; do
    name=$(basename "$script" .lua)
    out=$(cd "$here" && LUA_CPATH="$2${LUA_CPATH:-;;}" lua5.4 "$script" 2>&1) || true
    file="$here/expected/$1/$name.txt"
    if [ "$mode" = --check ]; then
      if ! printf '%s\n' "$out" | diff -u "$file" - >/dev/null; then
        echo "differs: $1/$name"
        printf '%s\n' "$out" | diff -u "$file" - || true
        status=1
      fi
    else
      printf '%s\n' "$out" > "$file"
    fi
  done
}

run_all 1.44 ''
if [ -n "${UVTS_LUV_1_52:-}" ]; then
  run_all 1.52 "$UVTS_LUV_1_52/?.so;"
else
  echo "UVTS_LUV_1_52 is not set: libuv 1.52 traces not $( [ "$mode" = --check ] && echo checked || echo recorded )"
fi
exit $status
