"""Outgoing email: the transactional outbox and its delivery."""
