"""The 拟办 tab: the queue of matters waiting for a decision."""
