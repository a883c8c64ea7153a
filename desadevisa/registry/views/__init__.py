"""Staff pages of the registry; every read goes through the scoped selectors."""
