"""The 排查 tab: the monthly 矛盾纠纷排查 register."""
