"""The opened matter (卷宗) in its own window."""
