#!/usr/bin/env bash
# The cost of the editions archive on the national site (§8): publishes the
# site edition after edition, one quarter more each time, and measures what
# the repository's editions/ folder and the built site weigh.
#
#   bench/editions.sh [--editions N] [--work DIR]
#
# Edition k is the national site (examples/gen_national.rs) as it stood
# after 40 − N + k quarters, published with `insyn publish --date`. After
# each edition it prints: the files and bytes the manifests list (what a
# naive copy per edition would store), the objects actually stored under
# editions/objects/ (each distinct file once), the whole editions/ folder
# (du, including data.csv and manifests), the same folder as a gzip'd tar
# (roughly what git stores, since git compresses objects) and the time of
# the publish.
set -euo pipefail

EDITIONS=12
WORK="${TMPDIR:-/tmp}/insyn-editions"
while [ $# -gt 0 ]; do
  case "$1" in
    --editions) EDITIONS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

REPO="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
echo "== building insyn and the generator (release)" >&2
(cd "$REPO" && cargo build --release --quiet --bin insyn --example gen_national)
INSYN="$TARGET/release/insyn"
GEN="$TARGET/release/examples/gen_national"

rm -rf "$WORK"
mkdir -p "$WORK"
SITE="$WORK/national"
printf '%-8s %-11s %9s %11s %9s %11s %11s %11s %9s\n' edition published files listed objects stored "du editions" "tar.gz" publish_s
for k in $(seq 1 "$EDITIONS"); do
  Q=$((40 - EDITIONS + k))
  "$GEN" "$SITE" --quarters "$Q" >/dev/null
  DATE=$(printf '2026-%02d-15' $(( (k - 1) % 12 + 1 )))
  START=$(date +%s.%N)
  "$INSYN" --quiet publish --root "$SITE" --date "$DATE"
  END=$(date +%s.%N)
  listed=$(cat "$SITE"/editions/*/manifest.tsv | awk -F'\t' '$1=="file" {n++; b+=$4} END {printf "%d %d", n, b}')
  objects=$(find "$SITE/editions/objects" -type f | wc -l)
  stored=$(find "$SITE/editions/objects" -type f -printf '%s\n' | awk '{b+=$1} END {print b+0}')
  du=$(du -sb "$SITE/editions" | cut -f1)
  targz=$(tar -C "$SITE" -czf - editions | wc -c)
  edition=$(ls "$SITE/editions" | grep -v objects | sort | tail -1)
  set -- $listed
  printf '%-8s %-11s %9d %11d %9d %11d %11d %11d %9.1f\n' "$edition" "$DATE" "$1" "$2" "$objects" "$stored" "$du" "$targz" "$(echo "$END - $START" | bc)"
done
echo "built site: $(du -sb "$SITE/public" | cut -f1) bytes apparent, $(du -sB1 "$SITE/public" | cut -f1) bytes on disk (hard links to objects and the cache count once)"
