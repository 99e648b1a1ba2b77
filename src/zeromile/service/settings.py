"""Service settings, read from ``ZEROMILE_*`` environment variables.

Built once at the edge (CLI, tests) and passed down; there is no module-level
instance, so importing this module reads no environment and opens nothing.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the service needs to run; each field is a ``ZEROMILE_<NAME>`` variable."""

    model_config = SettingsConfigDict(env_prefix="ZEROMILE_", extra="ignore")

    data_dir: Path = Field(
        default=Path("zeromile-data"),
        description="Directory of the embedded SQLite database (and the transparency log).",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db. "
            "Unset: SQLite in WAL mode at DATA_DIR/zeromile.sqlite3."
        ),
    )
    log_dir: Path | None = Field(
        default=None,
        description="Transparency log directory served read-only under /api/v1/log (unset: none).",
    )
    log_append: bool = Field(
        default=False,
        description="Append every decision to the log at LOG_DIR (this server is the log's operator).",
    )
    log_retry_seconds: float = Field(
        default=30.0,
        ge=0,
        description="Delay before a decision whose log append failed is tried again.",
    )
    log_drain_process: bool = Field(
        default=True,
        description=(
            "Append to the log from a child process (`zeromile log drain --follow`), so "
            "appending does not hold the server's interpreter lock; off: a server thread."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Interface `zeromile serve` binds to.")
    port: int = Field(default=8000, ge=0, le=65535, description="TCP port of `zeromile serve`.")
    auto_migrate: bool = Field(
        default=True,
        description="Run Alembic migrations at start-up when the database is the embedded SQLite.",
    )
    max_request_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1024,
        description="Largest request body accepted; larger requests get 413.",
    )
    max_json_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest JSON (non-upload) request body accepted; larger requests get 413.",
    )
    page_size: int = Field(default=50, ge=1, le=1000, description="Default page size of lists.")
    max_page_size: int = Field(default=500, ge=1, description="Largest page size a client may ask.")
    login_attempts_per_minute: int = Field(
        default=10,
        ge=1,
        description="Login attempts allowed per client address and per user name in a minute.",
    )
    negative_list_threshold: int = Field(
        default=3,
        ge=1,
        description=(
            "Negative-list entries within the window that suspend an exporter's licence "
            "(a policy setting, not a legal figure)."
        ),
    )
    negative_list_window_days: int = Field(
        default=365,
        ge=1,
        description="Length of the negative-list window in days.",
    )
    bulk_max_rows: int = Field(
        default=1_000_000, ge=1, description="Largest number of rows one bulk upload may carry."
    )

    def to_env(self) -> dict[str, str]:
        """The ``ZEROMILE_*`` variables that rebuild these settings in a child process."""
        return {
            f"ZEROMILE_{name.upper()}": str(value)
            for name, value in self.model_dump().items()
            if value is not None
        }

    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'zeromile.sqlite3').resolve()}"

    def is_embedded(self) -> bool:
        """True when the database is SQLite (the embedded default or an explicit file)."""
        return self.resolved_database_url().startswith("sqlite")
