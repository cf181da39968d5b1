"""A test-only app for ``pulso worker`` subprocesses: a subscriber that blocks mid-task."""
