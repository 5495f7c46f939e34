"""信访台账: the offline ledger of a township or county 信访 office."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("xinfang-desktop")
except PackageNotFoundError:  # a bundle built without the package's metadata, or a bare checkout
    __version__ = "（版本未知）"
