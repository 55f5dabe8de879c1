#!/bin/sh
# Installs the pinned dynalite (package-lock.json) next to this file; run by the build when it is missing.
set -eu
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "crm-sync: Node.js 20 or newer (with npm) is needed to build and test: it runs dynalite, the local" >&2
  echo "DynamoDB server of the tests (and the CDK CLI). Install Node.js 20 and run the build again." >&2
  exit 1
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "crm-sync: Node.js $(node --version) is too old: dynalite needs Node.js 20 or newer." >&2
  exit 1
fi
# No install scripts: the in-memory store needs no native build, and classic-level ships prebuilt binaries.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
