"""The 接访 tab: the 领导接访日 roster and the 领导约访/下访 record."""
