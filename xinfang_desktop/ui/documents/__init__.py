"""Documents: the issue/preview dialog, the template editor and the hook the tabs call after an action."""
