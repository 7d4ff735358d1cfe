#!/usr/bin/env bash
# Validators only: Nu HTML checker over public/, every SVG parses as XML,
# feed.xml is an Atom feed and sitemap.xml a sitemap. Same output format as run.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node tests/browser/run.mjs --validate-only "$@"
