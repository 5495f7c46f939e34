"""The 督办 tab: the deadline board, its model and the morning banner."""
