#!/usr/bin/env sh
# The explorer page is tested in Debian's Chromium, driven by playwright-core: Playwright's own
# browser download is not used. On a machine without it, install it from Debian's packages once.
set -eu
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
# Debian's package is installed at /usr/bin/chromium; another path is the user's to provide.
if [ "$CHROMIUM" != /usr/bin/chromium ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The explorer test needs Chromium at $CHROMIUM (set CHROMIUM_PATH to use another)." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "Installing Debian's chromium for the explorer page test ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
"$CHROMIUM" --version
