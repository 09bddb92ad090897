#!/usr/bin/env bash
# Accessibility check of the parallel EPUB with Ace by DAISY.
#
# EPUBCheck 5 switches off most accessibility checks; Ace runs axe-core in a
# headless browser over every content document and checks the package's
# accessibility metadata.  This script:
#
#   1. installs @daisy/ace-cli from npm into a local folder (not the @daisy/ace
#      meta-package: it pulls Electron, which downloads a browser binary), with
#      PUPPETEER_SKIP_DOWNLOAD=true so Puppeteer downloads no Chrome either;
#   2. installs Debian's chromium with apt-get if it is missing;
#   3. runs Ace with PUPPETEER_EXECUTABLE_PATH pointing at that chromium;
#   4. prints the number of violations and exits 1 if there are any.
#
# Usage (from the book project's directory, after `bilingual-pub build --format epub`):
#
#   scripts/ace-check.sh                  # checks build/<slug>-parallel.epub
#   scripts/ace-check.sh path/to/book.epub
#
# Environment:
#   ACE_DIR      where ace-cli is installed (default: ~/.cache/bilingual-pub/ace)
#   ACE_REPORT   where Ace writes its report (default: build/ace-report)
#   CHROMIUM     the browser to drive (default: /usr/bin/chromium)
set -euo pipefail

ACE_DIR=${ACE_DIR:-"$HOME/.cache/bilingual-pub/ace"}
ACE_REPORT=${ACE_REPORT:-build/ace-report}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

epub=${1:-}
if [[ -z "$epub" ]]; then
    slug=$(python3 -c 'import tomllib; print(tomllib.load(open("book.toml", "rb"))["book"]["slug"])')
    epub="build/${slug}-parallel.epub"
fi
if [[ ! -f "$epub" ]]; then
    echo "ace-check: no $epub (run 'bilingual-pub build --format epub' first)" >&2
    exit 2
fi

if [[ ! -x "$ACE_DIR/node_modules/.bin/ace-cli" ]]; then
    echo "ace-check: installing @daisy/ace-cli into $ACE_DIR" >&2
    mkdir -p "$ACE_DIR"
    PUPPETEER_SKIP_DOWNLOAD=true npm install --prefix "$ACE_DIR" --no-audit --no-fund --silent @daisy/ace-cli >&2
fi

if [[ ! -x "$CHROMIUM" ]]; then
    echo "ace-check: installing chromium with apt-get" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi

rm -rf "$ACE_REPORT"
PUPPETEER_EXECUTABLE_PATH="$CHROMIUM" \
    "$ACE_DIR/node_modules/.bin/ace-cli" --silent --force --outdir "$ACE_REPORT" "$epub" >&2 || true

report="$ACE_REPORT/report.json"
if [[ ! -f "$report" ]]; then
    echo "ace-check: Ace wrote no report (see the messages above)" >&2
    exit 2
fi

# One line per violation (rule, impact, file), then the count.
node -e '
const report = require(process.argv[1]);
let count = 0;
for (const assertion of report.assertions || []) {
  for (const test of assertion.assertions || []) {
    if (test["earl:result"]["earl:outcome"] !== "fail") continue;
    count += 1;
    const where = (test["earl:result"].pointer || {}).css || "";
    console.error(`${test["earl:test"]["earl:impact"]}\t${test["earl:test"]["dct:title"]}\t${assertion["earl:testSubject"].url} ${where}`);
  }
}
console.log(`violations: ${count}`);
process.exit(count === 0 ? 0 : 1);
' "$(realpath "$report")"
