"""The database search engine's rules (filters, masks, facets, sorts, paging) on small hand-built indexes."""
