"""The 登记 tab: the register form and the list of matters."""
