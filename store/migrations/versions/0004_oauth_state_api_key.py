"""oauth states: bound to the API key that started them

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:20:00.000000

A pending connection is now bound to the API key that started it, and the callback must present that key.
Rows pending at upgrade time belong to no key: they are deleted (they live minutes; the user starts the
connection again) rather than left to be finished by anyone.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.text('DELETE FROM oauth_states'))
    with op.batch_alter_table('oauth_states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_key_id', sa.String(length=40), nullable=False))
        batch_op.create_foreign_key(
            'fk_oauth_states_api_key_id_api_keys', 'api_keys', ['api_key_id'], ['id'], ondelete='CASCADE'
        )
        batch_op.create_index(batch_op.f('ix_oauth_states_api_key_id'), ['api_key_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('oauth_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_states_api_key_id'))
        batch_op.drop_constraint('fk_oauth_states_api_key_id_api_keys', type_='foreignkey')
        batch_op.drop_column('api_key_id')
