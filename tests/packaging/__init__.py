"""Packaging: the command line before configuration, and the wheel as a new site installs it."""
