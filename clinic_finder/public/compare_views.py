"""compare_views (being built; see the open issue that owns it)."""
from . import bp  # noqa: F401
