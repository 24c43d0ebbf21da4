"""Patient reviews: taking them, telling a person from a script, privacy flags, moderation, ratings and display."""
