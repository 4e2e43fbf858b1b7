"""Alembic environment: runs on the connection plvgov hands it, SQLModel metadata as target."""

from alembic import context
from sqlmodel import SQLModel

import plvgov.models

plvgov.models.load_all()  # every table on SQLModel.metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - plvgov always passes its connection
    raise RuntimeError("plvgov migrations run through plvgov.migrations.upgrade()")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite can only ALTER by copying the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
