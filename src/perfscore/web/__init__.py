"""The auditors' web page (``perfscore serve``): drop forms, read the review, take the files home.

Optional: it needs the ``web`` extra (``pip install 'perfscore[web]'``: Starlette, uvicorn and
python-multipart).  Nothing in the rest of perfscore imports this package, and importing it
loads none of the web stack: :mod:`perfscore.web.command` is what ``perfscore serve`` calls,
:func:`perfscore.web.app.create_app` builds the ASGI application.

The page keeps nothing: uploads go to a private temporary directory per batch, read through the
same bounded readers as the command line, and the directory is removed when the batch is
cleared, expires or the server stops.  See ``docs/web.md``.
"""
