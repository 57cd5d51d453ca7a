"""The domain-event outbox: `strata outbox …` shows delivery and retries dead letters."""
