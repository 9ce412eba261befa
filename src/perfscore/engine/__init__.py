"""The engine: rows read once, judged, scored and checked; `evaluate` puts them together."""
