"""Generators for tests and benchmarks. Not used by the product at run time."""
