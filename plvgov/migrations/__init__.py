"""Alembic migrations, shipped inside the package and driven from code (no alembic.ini).

Each capability owns one revision in a straight line: 0001 foundation, 0002 billing,
0003 decisions. ``tests/test_migrations.py`` fails when the models and migrations drift apart.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

HERE = Path(__file__).parent


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    revision = ScriptDirectory.from_config(config()).get_current_head()
    assert revision is not None
    return revision


def is_known(revision: str) -> bool:
    script = ScriptDirectory.from_config(config())
    return any(rev.revision == revision for rev in script.walk_revisions())


def upgrade(connection: Connection, target: str = "head") -> None:
    command.upgrade(config(connection), target)


def downgrade(connection: Connection, target: str) -> None:
    command.downgrade(config(connection), target)
