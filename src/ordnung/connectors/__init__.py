"""Channel connectors: orders as Shopify, WooCommerce (and later platforms) send them,
taken through a raw import queue into the one order intake (docs/connectors.md)."""
