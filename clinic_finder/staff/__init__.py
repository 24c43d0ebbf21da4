"""Staff: accounts and sign-in decisions, password rules, the dashboard's queue counts, and the audit trail."""
