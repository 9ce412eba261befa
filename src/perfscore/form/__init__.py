"""The form model (填报表): `Form`, `Budget`, `Indicator`, and the reading of cells into it."""
