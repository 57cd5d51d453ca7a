"""Outgoing mail over SMTP: the adapter of core's EmailSender port."""
