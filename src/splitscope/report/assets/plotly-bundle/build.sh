#!/usr/bin/env bash
# Rebuild ../plotly-splitscope.min.js from the npm registry, reproducibly: exact versions from
# package-lock.json (npm ci), no install scripts, one esbuild call. The output is byte-identical for the
# same lock file; SOURCE.json records its sha256 and tests/report/test_report_bundle.py checks it.
# Usage: bash build.sh   (needs node >= 18 and npm; writes into a temporary folder, then copies)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/entry.js" "$work/"
cd "$work"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
# global=window and define.amd=false as plotly.js's own esbuild-config.js; CSS imports are dropped (the
# only one is maplibre's stylesheet, for map traces this bundle leaves out); licence comments are kept.
./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --global-name=Plotly \
  --define:global=window --define:define.amd=false --target=es2016 --loader:.css=empty \
  --legal-comments=eof --log-level=warning \
  --banner:js="$(cat "$here/banner.txt")" \
  --outfile=plotly-splitscope.min.js
cp plotly-splitscope.min.js "$here/../plotly-splitscope.min.js"
sha256sum "$here/../plotly-splitscope.min.js"
