#!/usr/bin/env bash
# Installs the pinned front-end packages from the npm registry (package-lock.json)
# and copies what the pages use into static/vendor/, then compiles our Sass.
# Nothing is loaded from a CDN: every script and stylesheet is served from static/.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund --loglevel=error

vendor=static/vendor
rm -rf "$vendor"
mkdir -p "$vendor/govuk" "$vendor/htmx" "$vendor/plotly" static/build

govuk=node_modules/govuk-frontend/dist/govuk
cp "$govuk/govuk-frontend.min.js" "$vendor/govuk/"
cp -r "$govuk/assets" "$vendor/govuk/assets"
# The service is not on GOV.UK: it uses system fonts, so the GDS Transport files are not copied.
rm -rf "$vendor/govuk/assets/fonts"
cp node_modules/htmx.org/dist/htmx.min.js "$vendor/htmx/"
cp node_modules/plotly.js-basic-dist-min/plotly-basic.min.js "$vendor/plotly/"
# axe-core is for the browser tests only: they read node_modules/axe-core/axe.min.js and inject
# it into the page under test. It is never copied into static/, so no page ever serves it.

npx --no-install sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
  static/scss/trajectory.scss static/build/trajectory.css
echo "front-end assets ready in static/vendor and static/build"
