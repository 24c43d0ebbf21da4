"""Search: one parsed search request, in-clinic by geodesic distance and at-home by state, paged and sorted."""
