"""Personal data kept only as long as needed: what reviewers and patients send us, and when it is deleted."""
