"""What several test modules share: builders of matters, PDF readers, typing into widgets, scripted dialogs."""
