#!/usr/bin/env bash
# Regenerates test/fixtures with real PyTorch 1.13 (Debian's python3-torch, python3-torchvision).
# Usage: scripts/regenerate-fixtures.sh [--only case1,case2]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null; then
  echo "needs Debian's PyTorch: apt-get install -y python3-torch python3-torchvision" >&2
  exit 1
fi
/usr/bin/python3 scripts/generate_fixtures.py --out test/fixtures "$@"
