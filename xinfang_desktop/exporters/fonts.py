"""PDF fonts: the Windows 公文 fonts when present, the bundled open fonts otherwise, and per-character fallback."""

from __future__ import annotations

import os
import threading
import zlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from xinfang_desktop.domain.errors import StorageError
from xinfang_desktop.paths import resources_dir


class Role(StrEnum):
    BODY = "仿宋"  # body text and headings of levels 3 and 4
    TITLE = "小标宋"
    HEADING1 = "黑体"
    HEADING2 = "楷体"
    PAGE_NUMBER = "宋体"


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0  # subfont of a .ttc


# Windows 公文 fonts, best first per role; only TrueType outlines (reportlab cannot read CFF .otf)
WINDOWS_FONTS: dict[Role, tuple[FontFile, ...]] = {
    Role.BODY: (FontFile(Path("simfang.ttf")), FontFile(Path("仿宋_GB2312.ttf")), FontFile(Path("FS_GB2312.ttf"))),
    Role.TITLE: (
        FontFile(Path("FZXBSJW.TTF")),  # 方正小标宋简体, as installed by most offices
        FontFile(Path("FZXBSJW--GB1-0.ttf")),
        FontFile(Path("方正小标宋简体.ttf")),
        FontFile(Path("方正小标宋_GBK.ttf")),
        FontFile(Path("simhei.ttf")),  # GB/T 9704 allows 黑体 where 小标宋 is missing
    ),
    Role.HEADING1: (FontFile(Path("simhei.ttf")),),
    Role.HEADING2: (FontFile(Path("simkai.ttf")),),
    Role.PAGE_NUMBER: (FontFile(Path("simsun.ttc")), FontFile(Path("simsun.ttf"))),
}

# the bundled open fonts (see resources/fonts/README.md): 宋 stands in for 仿宋, 黑 for 小标宋
BUNDLED_FONTS: dict[Role, FontFile] = {
    Role.BODY: FontFile(Path("gbsn00lp.ttf")),
    Role.TITLE: FontFile(Path("wqy-microhei.ttc"), 0),
    Role.HEADING1: FontFile(Path("wqy-microhei.ttc"), 0),
    Role.HEADING2: FontFile(Path("gkai00mp.ttf")),
    Role.PAGE_NUMBER: FontFile(Path("gbsn00lp.ttf")),
}
FALLBACK_FONTS: tuple[FontFile, ...] = (FontFile(Path("HanaMinA.ttf")), FontFile(Path("HanaMinB.ttf")))


def windows_fonts_dirs() -> tuple[Path, ...]:
    """C:\\Windows\\Fonts and the per-user fonts folder (where 方正小标宋 is often installed); none elsewhere."""
    if os.name != "nt":
        return ()
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return tuple(dirs)


@dataclass(frozen=True)
class FontSet:
    """The registered reportlab font name for each role, and the fallbacks tried per character."""

    names: dict[Role, str]
    fallbacks: tuple[str, ...]
    files: dict[str, FontFile]
    # the bundled 黑体 has one light weight, thin beside 小标宋: the renderer strokes the title a little
    fake_bold_title: bool

    def runs(self, text: str, role: Role) -> list[tuple[str, str]]:
        """Split text into (font name, text) runs so every character is drawn by a font that has it.

        reportlab would silently draw a missing character as an empty gap; a rare character
        in a name (䶮, 𠮷) must come from a fallback font instead.
        """
        primary = self.names[role]
        chain = (primary, *self.fallbacks)
        runs: list[tuple[str, str]] = []
        for ch in text:
            chosen = primary
            if not ch.isspace():
                code = ord(ch)
                for name in chain:
                    if code in _cmap(name):
                        chosen = name
                        break
            if runs and runs[-1][0] == chosen:
                runs[-1] = (chosen, runs[-1][1] + ch)
            else:
                runs.append((chosen, ch))
        return runs


def _cmap(name: str) -> dict[int, int]:
    font = pdfmetrics.getFont(name)
    return font.face.charToGlyph  # type: ignore[no-any-return]


_original_to_unicode = ttfonts.makeToUnicodeCMap


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab writes U+20BB7 as <20BB7>, which readers take as 20BB + 7: a copied or searched
    𠮷 would come back wrong. Write characters beyond the BMP as UTF-16 surrogate pairs."""
    text: str = _original_to_unicode(fontname, subset)
    for i, code in enumerate(subset):
        if code > 0xFFFF:
            text = text.replace(f"<{i:02X}> <{code:04X}>", f"<{i:02X}> <{_utf16_hex(code)}>", 1)
    return text


ttfonts.makeToUnicodeCMap = _to_unicode_cmap

_lock = threading.Lock()
_cache: dict[tuple[str, str], FontSet] = {}
_registered: dict[str, FontFile] = {}


def _register(file: FontFile) -> str:
    """Register one TrueType file once per process; the name says which file and subfont it is."""
    name = f"XF-{file.path.stem}-{file.index}-{zlib.crc32(str(file.path).encode()):08x}"
    if name in _registered:
        return name
    if not file.path.is_file():
        raise StorageError(
            f"找不到字体文件“{file.path}”，无法生成文书。请重新安装本程序或把该字体文件放回原处；未出具任何文书。"
        )
    try:
        # subsets are embedded by reportlab's TTFont: the letter looks the same on every PC
        font = TTFont(name, str(file.path), subfontIndex=file.index)
    except (TTFError, OSError, ValueError) as exc:
        raise StorageError(f"字体文件“{file.path.name}”无法读取（{exc}），请更换该字体文件；未出具任何文书。") from exc
    pdfmetrics.registerFont(font)
    _registered[name] = file
    return name


def _try_windows(directories: tuple[Path, ...], candidates: tuple[FontFile, ...]) -> str | None:
    for candidate in candidates:
        for directory in directories:
            file = FontFile(directory / candidate.path, candidate.index)
            if file.path.is_file():
                try:
                    return _register(file)
                except StorageError:
                    continue  # a damaged or CFF-only system font: try the next, then the bundled one
    return None


def load_fonts(*, fonts_dir: Path | None = None, system_dir: Path | None | str = "auto") -> FontSet:
    """The fonts for letters, registered with reportlab once and cached.

    fonts_dir: the bundled fonts (default resources/fonts); system_dir: the Windows fonts
    folder ("auto" finds it, None uses the bundled fonts only). A bundled file that is
    missing raises StorageError, so nothing is issued.
    """
    bundled_dir = fonts_dir or resources_dir() / "fonts"
    systems = windows_fonts_dirs() if system_dir == "auto" else ((Path(system_dir),) if system_dir else ())
    key = (str(bundled_dir), str(systems))
    with _lock:
        if key in _cache:
            return _cache[key]
        names: dict[Role, str] = {}
        fake_bold = False
        for role in Role:
            name = _try_windows(systems, WINDOWS_FONTS[role]) if systems else None
            if name is None:
                file = FontFile(bundled_dir / BUNDLED_FONTS[role].path, BUNDLED_FONTS[role].index)
                name = _register(file)
                if role is Role.TITLE:
                    fake_bold = True
            names[role] = name
        fallbacks = []
        for fallback in FALLBACK_FONTS:
            file = FontFile(bundled_dir / fallback.path, fallback.index)
            fallbacks.append(_register(file))
        used = {*names.values(), *fallbacks}
        files = {name: _registered[name] for name in used}
        result = FontSet(names=names, fallbacks=tuple(fallbacks), files=files, fake_bold_title=fake_bold)
        _cache[key] = result
        return result
