"""The zeromile service: FastAPI app, SQLAlchemy models, Alembic migrations.

An adapter around the pure core. Nothing here runs at import time; build a
:class:`~zeromile.service.settings.Settings` at the edge and call
:func:`zeromile.service.app.create_app` with it.
"""
