"""The vetting checklist: the facts a careful patient checks, their sources and dates, and how fresh they are."""
