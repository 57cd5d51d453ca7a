"""Outgoing email: the message the application sends and the port that sends it."""
