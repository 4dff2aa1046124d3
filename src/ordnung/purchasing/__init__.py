"""Supply: suppliers, purchase orders, receiving and replenishment."""
