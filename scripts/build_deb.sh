#!/usr/bin/env bash
# Package the PyInstaller bundle (dist/xinfang, from `pyinstaller build.spec`) as a .deb for Debian and
# its 信创 descendants (统信UOS, 银河麒麟 on x86_64 or arm64 alike: the bundle's architecture is the build
# machine's). Installs under /opt/xinfang-desktop with /usr/bin/xinfang, a Chinese desktop entry with the
# icon, and the licences under /usr/share/doc/xinfang-desktop. No maintainer scripts: removing or purging
# the package never touches the clerk's data folder (~/.local/share/xinfang-desktop).
#     scripts/build_deb.sh [BUNDLE_DIR] [OUT_DIR]      -> OUT_DIR/xinfang-desktop_VERSION_ARCH.deb
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bundle="${1:-$root/dist/xinfang}"
out="${2:-$root/dist}"
[ -x "$bundle/xinfang" ] || { echo "no bundle at $bundle: run pyinstaller build.spec first" >&2; exit 1; }

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/pyproject.toml" | head -n1)"
arch="$(dpkg --print-architecture)"
# the newest glibc symbol any bundled file asks for is the oldest system the bundle runs on
glibc="$(find "$bundle" -type f \( -name '*.so*' -o -name xinfang \) -print0 \
  | xargs -0 readelf -V 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1)"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
pkg="$stage/xinfang-desktop"
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
  "$pkg/usr/share/icons/hicolor/256x256/apps" "$pkg/usr/share/doc/xinfang-desktop/fonts"
cp -a "$bundle" "$pkg/opt/xinfang-desktop"
# the bootloader finds its _internal folder through /proc/self/exe, so a symlink is enough
ln -s /opt/xinfang-desktop/xinfang "$pkg/usr/bin/xinfang"
cp "$root/resources/icons/xinfang.png" "$pkg/usr/share/icons/hicolor/256x256/apps/xinfang-desktop.png"

cat > "$pkg/usr/share/applications/xinfang-desktop.desktop" <<EOF
[Desktop Entry]
Type=Application
Version=1.0
Name=信访台账
Name[zh_CN]=信访台账
GenericName=信访登记与督办
GenericName[zh_CN]=信访登记与督办
Comment=信访事项的登记、交办、督办、文书和年度统计，离线使用
Comment[zh_CN]=信访事项的登记、交办、督办、文书和年度统计，离线使用
Exec=/opt/xinfang-desktop/xinfang
Icon=xinfang-desktop
Terminal=false
Categories=Office;
Keywords=信访;台账;督办;xinfang;
EOF

doc="$pkg/usr/share/doc/xinfang-desktop"
cp "$root/resources/licenses/"*.txt "$root/resources/licenses/README.md" "$doc/"
cp "$root/resources/fonts/"*.LICENSE.txt "$root/resources/fonts/README.md" "$doc/fonts/"
cp "$root/resources/icons/README.md" "$doc/icon.md"
cat > "$doc/copyright" <<EOF
信访台账 (xinfang-desktop) $version — MIT licence.
Bundled third-party software and its licences: README.md and *.txt in this folder; the fonts' in fonts/.
Qt 6 and PySide6 are used under the LGPL-3.0 as separate shared libraries in
/opt/xinfang-desktop/_internal/PySide6/Qt/lib, which may be replaced by a build of the same Qt version.
EOF
cat > "$doc/README.Debian" <<EOF
程序装在 /opt/xinfang-desktop，命令 xinfang。数据库、备份、附件和日志在每位用户自己的
~/.local/share/xinfang-desktop 中；卸载（dpkg -r 或 --purge）不会删除这个文件夹。
EOF

size_kb="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
cat > "$pkg/DEBIAN/control" <<EOF
Package: xinfang-desktop
Version: $version
Architecture: $arch
Maintainer: 信访台账 <xinfang-desktop@localhost>
Installed-Size: $size_kb
Depends: libc6 (>= $glibc), libgl1, libegl1
Recommends: libxkbcommon-x11-0, libxcb-cursor0, libdbus-1-3, cups-client
Section: misc
Priority: optional
Description: 信访台账 — offline ledger for a township or county 信访 office
 登记、交办、督办、文书（PDF）和年度统计，数据只保存在本机，不联网。
 A self-contained program (its own Python and Qt) under /opt/xinfang-desktop.
EOF

mkdir -p "$out"
deb="$out/xinfang-desktop_${version}_${arch}.deb"
# gzip, not dpkg's default xz: xz makes it 83 MB instead of 112 MB but takes a quarter of an hour
# on a busy two-core machine, and every dpkg (统信UOS 20's too) reads gzip
dpkg-deb --root-owner-group -Zgzip -z6 --build "$pkg" "$deb" >/dev/null
echo "built $deb: $(du -h "$deb" | cut -f1), installed $((size_kb / 1024)) MB, needs glibc >= $glibc"
