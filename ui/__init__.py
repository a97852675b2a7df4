"""Dashboard support: database access, queries, filters and labels shared by the pages."""
