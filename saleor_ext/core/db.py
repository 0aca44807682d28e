"""Database defaults shared by money columns (Saleor keeps 20 digits, 3 decimals)."""

DEFAULT_MAX_DIGITS = 20
DEFAULT_DECIMAL_PLACES = 3
