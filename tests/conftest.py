"""Shared fixtures: a small, real marketplace in the test database."""
