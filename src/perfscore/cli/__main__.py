"""``python -m perfscore.cli``: the command line."""

from perfscore.cli import main

if __name__ == "__main__":
    main()
