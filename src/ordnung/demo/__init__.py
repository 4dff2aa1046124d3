"""The demo: a believable German shop seeded through the services, served in one process."""
