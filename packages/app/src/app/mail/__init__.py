"""Outgoing mail: a command to check the SMTP settings by sending a message."""
