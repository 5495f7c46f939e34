"""问题发生地 as the office keeps it: 乡镇/村 of its own places, whoever writes it (the form, a 修改, the import)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def place_of(text: str, towns: Mapping[str, Sequence[str]]) -> str:
    """A 问题发生地 as 乡镇/村 of the office's places, when the text names them (省市县镇村 in one string).

    A text naming none of them is kept as written.
    """
    text = text.strip()
    town, _, village = text.partition("/")
    if not text or town in towns:
        return text
    named = [t for t in towns if t and t in text]
    if named:
        town = max(named, key=len)
        after = text[text.index(town) + len(town):]
        villages = [v for v in towns[town] if v and v in after]
        return f"{town}/{max(villages, key=len)}" if villages else town
    found = {(t, v) for t, vs in towns.items() for v in vs if v and v in text}
    if len(found) == 1:
        town, village = found.pop()
        return f"{town}/{village}"
    return text


def canonical_place(text: str, towns: Mapping[str, Sequence[str]]) -> str:
    """What the clerk typed, written as 乡镇/村/the rest when it begins with the office's 乡镇 (or a 村 only one
    乡镇 has): "河口镇李家湾村3组" is "河口镇/李家湾村/3组", so the tally counts it under 河口镇; nothing typed is
    dropped, and a text that begins with none of them is kept as typed."""
    text = text.strip()
    if not text or text.partition("/")[0] in towns:
        return text
    starts = [t for t in towns if t and text.startswith(t)]
    if starts:
        town = max(starts, key=len)
        after = text[len(town):].lstrip("/ ")
    else:
        found = {(t, v) for t, vs in towns.items() for v in vs if v and text.startswith(v)}
        longest = max((len(v) for _, v in found), default=0)
        found = {(t, v) for t, v in found if len(v) == longest}
        if len(found) != 1:
            return text
        town, after = next(iter(found))[0], text
    villages = [v for v in towns[town] if v and after.startswith(v)]
    village = max(villages, key=len) if villages else ""
    rest = after[len(village):].lstrip("/ ")
    return "/".join(part for part in (town, village, rest) if part)


def in_prose(place: str) -> str:
    """A place as a sentence writes it: "河口镇沙洲村", where tables keep 乡镇/村 apart."""
    return place.replace("/", "")
