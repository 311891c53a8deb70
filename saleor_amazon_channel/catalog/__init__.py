"""Catalog match: which of a store's channel variants Amazon's catalog already knows.

``runs`` plans and finishes a run, ``lookup`` resolves one batch with Amazon,
``pacing`` keeps every worker inside the seller's usage plan, ``tasks`` runs it
in Celery, ``models`` stores runs, batches and per-variant results.
"""
