"""api keys: rotation with a grace period for the previous secret

Revision ID: 0012
Revises: 0006
Create Date: 2026-12-07 02:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = '0012'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_prefix', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('previous_secret_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('previous_expires_at', store.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_keys_previous_secret_hash'), ['previous_secret_hash'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_previous_secret_hash'))
        batch_op.drop_column('previous_expires_at')
        batch_op.drop_column('previous_secret_hash')
        batch_op.drop_column('previous_prefix')
