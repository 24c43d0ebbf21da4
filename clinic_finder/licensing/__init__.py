"""Licenses: the status rules, NPI checks, where a board is searched, verification with evidence, expiry and queues."""
