#!/usr/bin/env bash
# CI (as root): install the .deb, run `xinfang --smoke` from PATH as a clerk with no Python would, check the
# desktop entry, icon and licences, then remove the package and check the clerk's data folder is still there.
#     scripts/test_deb.sh dist/xinfang-desktop_VERSION_ARCH.deb
set -euo pipefail
deb="$1"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
failed=0
check() {  # check DESCRIPTION COMMAND...: one line per check, and the count at the end
  if "${@:2}"; then echo "ok: $1"; passed=$((passed + 1)); else echo "FAILED: $1"; failed=$((failed + 1)); fi
}
passed=0

dpkg -i "$deb" >/dev/null
clerk() { env -i PATH=/usr/bin:/bin HOME="$home" QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 "$@"; }
check "xinfang on the clerk's PATH is the bundle in /opt" \
  test "$(clerk sh -c 'readlink -f "$(command -v xinfang)"')" = /opt/xinfang-desktop/xinfang
out="$(cd "$home" && clerk xinfang --smoke)"
echo "  $out"
check "xinfang --smoke paints the window on a new database" grep -q '^first paint [0-9]* ms, 0 matters$' <<<"$out"
data="$home/.local/share/xinfang-desktop"
check "the database is in the clerk's data folder" test -s "$data/xinfang.sqlite3"
entry=/usr/share/applications/xinfang-desktop.desktop
check "the desktop entry is Chinese and starts /opt/xinfang-desktop/xinfang" \
  grep -qx 'Name=信访台账' "$entry"
check "the desktop entry's command" grep -qx 'Exec=/opt/xinfang-desktop/xinfang' "$entry"
check "the desktop entry's icon is installed" test -s /usr/share/icons/hicolor/256x256/apps/xinfang-desktop.png
doc=/usr/share/doc/xinfang-desktop
check "Qt's licence (LGPL-3.0) is in the package" grep -q 'GNU LESSER GENERAL PUBLIC LICENSE' "$doc/LGPL-3.0.txt"
check "every bundled font's licence is in the package" \
  test "$(ls "$doc"/fonts/*.LICENSE.txt | wc -l)" -eq "$(ls /opt/xinfang-desktop/_internal/resources/fonts/*.LICENSE.txt | wc -l)"

dpkg -r xinfang-desktop >/dev/null
check "removing the package removes /opt/xinfang-desktop and /usr/bin/xinfang" \
  test ! -e /opt/xinfang-desktop -a ! -e /usr/bin/xinfang
check "removing the package leaves the clerk's data folder alone" test -s "$data/xinfang.sqlite3"

echo "deb: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
