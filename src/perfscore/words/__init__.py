"""Words at the edge: the flag catalogue and the zh/en wording rendered from data."""
