#!/usr/bin/env bash
# Renders vaultnet's generated pages in headless Chromium (tests/test_render_check.py): every
# page of the example vault and the Network page of each case vault, light and dark; fails on
# any Mermaid error and keeps a PNG per page and theme in OUT (default tools/render-check/out).
#   bash tools/render-check/install.sh && bash tools/render-check/run.sh [OUT]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(realpath -m "${1:-$root/tools/render-check/out}")"
python="${PYTHON:-$root/.venv/bin/python}"
rm -rf "$out"
cd "$root"
VAULTNET_RENDER_OUT="$out" "$python" -m pytest -q -rs -p no:cacheprovider tests/test_render_check.py
echo "PNGs: $out"
