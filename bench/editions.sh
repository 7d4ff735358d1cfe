#!/usr/bin/env bash
# The cost of the editions archive on the national site (README, "The
# archive, measured"): publishes the site edition after edition, one
# quarter more each time, and measures what the repository's editions/
# folder weighs, raw and as git stores it, and what the archive costs a
# build.
#
#   bench/editions.sh [--editions N] [--work DIR] [--png] [--cold-png]
#
# Edition k is the national site (examples/gen_national.rs) as it stood
# after 40 − N + k quarters (its data date the 12th of the month after),
# published on the 15th of a month with examples/publish_edition.rs, which
# is `insyn publish --date` without drawing PNGs unless `--png` is given.
# The archive stores no PNG (a frozen chart.png is drawn again from the
# frozen SVG at build time), so the edition is the same either way; the
# rebuilds draw no PNG unless `--png` is given either.
#
# After each edition it prints: the frozen files the manifests list, their
# bytes (what a copy per edition would store), the files re-made at build
# time instead of stored, the objects under editions/objects/ (each distinct
# file once, packed against the same file of the edition before) and the
# bytes they take, the whole editions/ folder (du: objects, each edition's
# data.csv and manifest), the bytes git adds when the folder is committed
# (its loose objects, zlib-compressed, before packing) and the publish time.
# At the end the git repository is packed (git gc) and its pack size
# printed: what a clone of the site's repository carries for the archive.
# Last, the site is built again: three times warm (what serving N editions'
# frozen copies adds to a build), once with the unpacked archive removed
# from the build cache (what a machine that has the site's cache but not
# the new editions pays), and once with no cache at all (a fresh clone).
# With `--cold-png`, a build with PNGs follows (every chart picture drawn:
# the live charts' three each and every edition's frozen chart.png; its
# `editions: re-made files` timing is the frozen copies' part), then one
# more with PNGs and a warm cache.
set -euo pipefail

EDITIONS=12
WORK="${TMPDIR:-/tmp}/insyn-editions"
PNG=""
COLD_PNG=""
while [ $# -gt 0 ]; do
  case "$1" in
    --editions) EDITIONS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --png) PNG="--png"; shift ;;
    --cold-png) COLD_PNG=1; shift ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

REPO="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
echo "== building the generator and the publisher (release)" >&2
(cd "$REPO" && cargo build --release --quiet --example gen_national --example publish_edition)
GEN="$TARGET/release/examples/gen_national"
PUBLISH="$TARGET/release/examples/publish_edition"

rm -rf "$WORK"
mkdir -p "$WORK"
SITE="$WORK/national"
GIT=(git -c gc.auto=0 --git-dir="$WORK/archive.git" --work-tree="$SITE")
git init --quiet --bare "$WORK/archive.git"
# The loose objects' own bytes (count-objects rounds each up to a disk block).
loose() { find "$WORK/archive.git/objects" -type f -path '*/objects/??/*' -printf '%s\n' | awk '{b+=$1} END {print b+0}'; }
printf '%-8s %9s %12s %7s %8s %12s %12s %11s %9s\n' \
  edition listed listed_bytes remade objects object_bytes "du editions" "git added" publish_s
for k in $(seq 1 "$EDITIONS"); do
  Q=$((40 - EDITIONS + k))
  "$GEN" "$SITE" --quarters "$Q" >/dev/null
  DATE=$(printf '2026-%02d-15' $(( (k - 1) % 12 + 1 )))
  START=$(date +%s.%N)
  "$PUBLISH" "$SITE" --date "$DATE" $PNG >/dev/null
  END=$(date +%s.%N)
  listed=$(cat "$SITE"/editions/*/manifest.tsv | awk -F'\t' '$1=="file" {n++; b+=$4} END {printf "%d %d", n, b}')
  remade=$(cat "$SITE"/editions/*/manifest.tsv | awk -F'\t' '$1=="png" || $1=="bundle" {n++} END {print n+0}')
  objects=$(find "$SITE/editions/objects" -type f | wc -l)
  stored=$(find "$SITE/editions/objects" -type f -printf '%s\n' | awk '{b+=$1} END {print b+0}')
  du=$(du -sb "$SITE/editions" | cut -f1)
  before=$(loose)
  "${GIT[@]}" add editions
  "${GIT[@]}" -c user.name=bench -c user.email=bench@localhost commit --quiet -m "edition $k"
  added=$(( $(loose) - before ))
  edition=$(ls "$SITE/editions" | grep -v objects | sort | tail -1)
  [ "$k" = 1 ] && REBUILD_ONE=$("$PUBLISH" "$SITE" $PNG)
  set -- $listed
  printf '%-8s %9d %12d %7d %8d %12d %12d %11d %9.1f\n' \
    "$edition" "$1" "$2" "$remade" "$objects" "$stored" "$du" "$added" "$(echo "$END - $START" | bc)"
done
# What the archive adds to every later build: a rebuild with a warm cache.
echo "rebuild after 1 edition: $REBUILD_ONE"
for run in 1 2 3; do echo "rebuild after $EDITIONS editions, run $run: $("$PUBLISH" "$SITE" $PNG)"; done
"${GIT[@]}" gc --quiet
echo "git, packed after $EDITIONS editions: $("${GIT[@]}" count-objects -v | awk '$1=="size-pack:" {print $2 * 1024}') bytes"
echo "built site: $(du -sb "$SITE/public" | cut -f1) bytes apparent, $(du -sB1 "$SITE/public" | cut -f1) bytes on disk (hard links to objects and the cache count once)"
# What a build pays for the archive when its cache lacks the unpacked
# objects (a new machine with an old cache), and with no cache at all.
rm -rf "$SITE/.insyn-cache/frozen"
echo "rebuild with the archive not unpacked yet: $("$PUBLISH" "$SITE" $PNG)"
rm -rf "$SITE/.insyn-cache"
echo "rebuild with no cache: $("$PUBLISH" "$SITE" $PNG)"
if [ -n "$COLD_PNG" ]; then
  rm -rf "$SITE/.insyn-cache/png"
  echo "rebuild drawing every PNG (live and frozen): $(INSYN_TIMINGS=1 "$PUBLISH" "$SITE" --png 2>"$WORK/cold-png.timings")"
  grep -E 'editions: re-made files|cpu: png|count: ' "$WORK/cold-png.timings" || true
  echo "rebuild with PNGs, warm: $("$PUBLISH" "$SITE" --png)"
fi
