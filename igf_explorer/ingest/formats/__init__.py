"""Every producer format ingest knows, one module each, and recognising a file's format from its content."""

from __future__ import annotations

from igf_explorer.ingest.formats import (
    da2i,
    fiw,
    fotn,
    gni,
    google_removals,
    keepiton,
    rdr,
    signatures,
    tidy,
    user_data,
    wassenaar,
    worldbank,
)
from igf_explorer.ingest.formats.base import Extracted, Format, records_frame
from igf_explorer.ingest.reading import InputFile

# Detection order matters: WDI and DA2I are recognised by their exact columns before the looser tidy rule.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        worldbank.FORMAT,
        da2i.FORMAT,
        tidy.FORMAT,
        fotn.FORMAT,
        keepiton.FORMAT,
        signatures.FORMAT,
        google_removals.FORMAT,
        fiw.FORMAT,
        user_data.FORMAT,
        wassenaar.FORMAT,
        *rdr.FORMATS,
        gni.FORMAT,
    )
}
LOADABLE: tuple[str, ...] = tuple(name for name, f in FORMATS.items() if f.extract is not None)


def detect_format(source: InputFile) -> str | None:
    """The first format whose layout the file has, or None."""
    return next((name for name, f in FORMATS.items() if f.detect(source)), None)


def expectations() -> str:
    """What each loadable format expects, for the message about a file no format recognises."""
    return "; ".join(f"{name}: {FORMATS[name].summary}" for name in LOADABLE)


__all__ = ["FORMATS", "LOADABLE", "Extracted", "Format", "detect_format", "expectations", "records_frame"]
