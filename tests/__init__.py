"""Tests, mirroring the package: domain, db, services, exporters, ui."""
