"""Invitations: `strata invitations …` runs the invitation use cases of core."""
