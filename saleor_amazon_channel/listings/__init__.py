"""Selling on Amazon: a store's offers, computed from Saleor and kept in sync with Amazon."""
