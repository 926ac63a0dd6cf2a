#!/usr/bin/env bash
# Installs what the render check needs: Debian's chromium (as root, when it is missing), node
# (Debian's nodejs and npm, when missing) and the npm packages pinned in package-lock.json
# (mermaid 11.13.0, the version Obsidian 1.13 ships; markdown-it; puppeteer-core, which drives
# the system's chromium and downloads no browser of its own).
set -euo pipefail
cd "$(dirname "$0")"
missing=()
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "render check: install ${missing[*]} first (as root: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
echo "render check: ready ($(node --version), $(chromium --version 2>/dev/null || chromium-browser --version))"
