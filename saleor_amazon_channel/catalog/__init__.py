"""Catalog match: which of a store's channel variants Amazon's catalog already knows.

A run, in the order it happens: ``tasks`` (the Celery tasks and ``execute``, the run's
path) → ``planning`` (may it start; the channel into batches, a chunk per transaction) →
``lookup`` (one batch asked of Amazon, paced by ``pacing``) → ``storage`` (claiming batches,
committing results, ending the run). ``variants`` reads the channel for the hosts' adapters;
``models`` holds runs, batches and per-variant results.
"""
