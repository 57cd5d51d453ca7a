"""Processed events: what each consumer of domain events has already handled."""
