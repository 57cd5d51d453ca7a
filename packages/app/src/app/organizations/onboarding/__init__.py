"""Organization onboarding: the child workflow `organization.created` starts (a trial, once)."""
