"""Places: US states, turning what a patient types into a point, geodesic distances, and small server-drawn maps."""
