"""``python -m perfscore``: the same as the ``perfscore`` command."""

from perfscore.cli import main

main()
