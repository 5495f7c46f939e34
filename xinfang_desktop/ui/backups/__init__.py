"""备份 and 恢复: the checks after the first paint, the automatic backups, restoring a chosen backup."""
