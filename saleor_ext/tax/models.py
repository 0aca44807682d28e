"""VAT: tax classes with rates per country; prices are entered gross."""
