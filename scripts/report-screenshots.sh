#!/usr/bin/env bash
# Regenerates the screenshots in docs/images/ from the browser test (headless Debian Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build:test >/dev/null
npx mocha --no-config --require source-map-support/register --timeout 300000 dist/test/report/browser.test.js -g resnet18
mkdir -p docs/images
cp dist/screenshots/resnet18-timeline.png docs/images/report-timeline.png
cp dist/screenshots/resnet18-fold-conv-bn.png docs/images/report-fold-conv-bn.png
cp dist/screenshots/resnet18-attributes.png docs/images/report-attributes.png
cp dist/screenshots/resnet18-numerics.png docs/images/report-numerics.png
echo "docs/images/report-*.png updated"
