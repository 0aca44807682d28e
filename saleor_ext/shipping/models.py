"""Shipping zones and methods per vendor (home delivery); click & collect lives with warehouses."""
