"""Page routes of the back office, one module per area."""
