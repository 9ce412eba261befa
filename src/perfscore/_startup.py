"""Set-up for the command line's own process, imported before any model is defined.

pydantic's plugin discovery scans every installed package's metadata when the first model is
created; perfscore's models are no plugin's business, and the scan is a tenth of the command's
start-up.  Library users, who import perfscore without the command line, keep their plugins.
"""

import os

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
