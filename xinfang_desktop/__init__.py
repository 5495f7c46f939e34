"""信访台账: the offline ledger of a township or county 信访 office."""

import gc


def main() -> int:
    """The `xinfang` command (and `python -m xinfang_desktop`, the bundle's program).

    The collector is off while the program starts (until `started()`): the start makes some 100,000
    objects that live as long as the program, and 200 passes over them cost the window's first paint
    60 ms. A batch command calls `started()` once its arguments are read; the window, after its first paint.
    """
    gc.disable()
    from xinfang_desktop.cli import main as run

    return int(run())  # the command line is not followed by mypy (pyproject), so its type is not known here


def started() -> None:
    """The start is over: the collector on again (its first pass over the start's objects comes now)."""
    gc.enable()


def __getattr__(name: str) -> str:
    """`__version__`, read from the package metadata when first asked for (`xinfang --version`, 关于):
    importlib.metadata and the e-mail parser it imports cost 20 ms before the window's first paint."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("xinfang-desktop")
    except PackageNotFoundError:  # a bundle built without the package's metadata, or a bare checkout
        found = "（版本未知）"
    globals()["__version__"] = found
    return found
