"""信访台账: the offline ledger of a township or county 信访 office."""


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
