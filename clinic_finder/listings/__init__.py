"""Listings: the published directory, a profile as a patient sees it, comparison, submissions and their approval,
the one validator of a provider record, and problem reports."""
