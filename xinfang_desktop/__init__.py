"""信访台账: the offline ledger of a township or county 信访 office."""

__version__ = "0.1.0"
