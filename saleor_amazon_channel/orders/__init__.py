"""Amazon orders into Saleor orders (exactly once), and shipments back to Amazon."""
