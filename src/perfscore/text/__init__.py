"""The indicator-value language: the normaliser, numbers, units and `parse_value`."""
