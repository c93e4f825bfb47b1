#!/usr/bin/env bash
# Installs the npm tools the tests use to read our output (test-tools/package.json,
# versions pinned in test-tools/package-lock.json): ofd.js, the independent OFD
# reader, and playwright-core, which drives Debian's /usr/bin/chromium (playwright's
# own browser download is not used: --ignore-scripts, and no `playwright install`).
# Called by .ci/run; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../test-tools"
if ! command -v npm >/dev/null 2>&1; then
  echo "scripts/test-tools.sh: npm is required (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
# Skip the download when node_modules was installed from this very lock file.
stamp=node_modules/.gongwen-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
