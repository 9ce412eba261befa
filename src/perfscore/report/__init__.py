"""Outputs: table, Markdown, CSV, JSON, HTML, explanations, the roll-up's text, annotated
workbooks."""
