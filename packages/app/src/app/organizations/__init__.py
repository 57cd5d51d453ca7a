"""Organizations: `strata org …` runs the organization use cases of core."""
