"""The service's one core object: settings, database, limiter and job runner.

Built by :func:`ServiceContext.open` from :class:`Settings` and attached to the
FastAPI app; the CLI builds the same object to manage users and the schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from zeromile.service import migrate, screening_adapter
from zeromile.service.batcher import ScreeningBatcher
from zeromile.service.db import make_engine, make_sessionmaker, transaction
from zeromile.service.log_outbox import LogDrainer
from zeromile.service.ratelimit import SlidingWindowLimiter
from zeromile.service.settings import Settings


@dataclass
class ServiceContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    login_limiter: SlidingWindowLimiter
    batcher: ScreeningBatcher = field(
        default_factory=lambda: ScreeningBatcher(lambda tables: screening_adapter.screen(tables))
    )
    jobs: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="zeromile-job")
    )

    log_drainer: LogDrainer = field(init=False)

    def __post_init__(self) -> None:
        # The drainer reads the settings at each drain: tests and the CLI may swap them.
        self.log_drainer = LogDrainer(self.engine, self.sessions, lambda: self.settings)

    @classmethod
    def open(cls, settings: Settings, *, migrate_embedded: bool | None = None) -> ServiceContext:
        """Connect; on the embedded SQLite, migrate to head unless told not to."""
        engine = make_engine(settings.resolved_database_url())
        should_migrate = settings.auto_migrate if migrate_embedded is None else migrate_embedded
        if should_migrate and settings.is_embedded():
            migrate.upgrade(engine)
        return cls(
            settings=settings,
            engine=engine,
            sessions=make_sessionmaker(engine),
            login_limiter=SlidingWindowLimiter(limit=settings.login_attempts_per_minute),
        )

    @contextmanager
    def tx(self) -> Iterator[Session]:
        """A unit of work that commits on success and rolls back on any error."""
        with transaction(self.sessions) as session:
            yield session

    def close(self) -> None:
        """Wait for running jobs, drain the log outbox, then release the connection pool."""
        self.jobs.shutdown(wait=True)
        self.log_drainer.stop()
        self.batcher.close()
        self.engine.dispose()
