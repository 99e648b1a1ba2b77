"""Statistics over decisions: the screening summary."""
