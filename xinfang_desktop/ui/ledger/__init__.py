"""台账 import and export dialogs."""
