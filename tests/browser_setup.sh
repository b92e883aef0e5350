#!/usr/bin/env bash
# Make headless Chromium available for the browser tests (tests/test_browser.py).
#
# Playwright's own browser download is not used (CI machines have no network except the
# package registries): the tests drive Debian's chromium package at /usr/bin/chromium.
# As root on Debian/Ubuntu this installs it when missing; otherwise it only says what to
# do, and the browser tests skip with that reason. Never fails `make test` by itself.
set -u

have_chromium() {
  [ -n "${REGIONANALYS_CHROMIUM:-}" ] && [ -x "${REGIONANALYS_CHROMIUM}" ] && return 0
  [ -x /usr/bin/chromium ] && return 0
  command -v chromium >/dev/null 2>&1
}

if have_chromium; then
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "browser_setup: installerar Debians chromium för webbläsartesterna …"
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
    have_chromium && { echo "browser_setup: chromium installerad ($(command -v chromium || echo /usr/bin/chromium))"; exit 0; }
  fi
  echo "browser_setup: kunde inte installera chromium; webbläsartesterna hoppas över" >&2
  exit 0
fi

echo "browser_setup: chromium saknas och kan inte installeras här (kräver root och apt-get);" \
     "webbläsartesterna hoppas över. Installera med: sudo apt-get install chromium" >&2
exit 0
