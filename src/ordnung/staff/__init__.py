"""Staff accounts of the back office and the API keys integrators use."""
