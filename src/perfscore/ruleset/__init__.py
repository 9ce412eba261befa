"""Rule sets: rule files, the formula language, the compiled `RuleSet`, and `rules check`."""
