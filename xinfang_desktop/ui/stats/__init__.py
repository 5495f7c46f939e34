"""The 统计 tab and the tally it warms in the background."""
