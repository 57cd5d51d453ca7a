"""Idempotency keys: a command run under a key runs once; a repeat replays its stored result."""
