"""Use cases: each validates its command, then does its writes in one unit of work."""
