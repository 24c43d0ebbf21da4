"""The path to care: the two-minute self-assessment and free-consultation requests."""
