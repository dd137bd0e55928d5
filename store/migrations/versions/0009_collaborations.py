"""collaborations: collaborations, their members, and content items that show several members

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 01:25:33.312333
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('collaborations',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('profile_id', sa.String(length=40), nullable=True),
    sa.Column('batch_id', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('collaborations', schema=None) as batch_op:
        batch_op.create_index('ix_collaborations_account_created', ['account_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_collaborations_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collaborations_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collaborations_created_at'), ['created_at'], unique=False)

    op.create_table('collaboration_members',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('collaboration_id', sa.String(length=40), nullable=False),
    sa.Column('influencer_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collaboration_id'], ['collaborations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('collaboration_id', 'influencer_id', name='uq_collaboration_member')
    )
    with op.batch_alter_table('collaboration_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collaboration_members_collaboration_id'), ['collaboration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collaboration_members_influencer_id'), ['influencer_id'], unique=False)

    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('collaboration_id', sa.String(length=40), nullable=True))
        # Existing items show one influencer: an empty list, which the API reads as [influencer_id].
        batch_op.add_column(sa.Column('member_ids', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.create_index(batch_op.f('ix_content_items_collaboration_id'), ['collaboration_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_items_collaboration_id'))
        batch_op.drop_column('member_ids')
        batch_op.drop_column('collaboration_id')

    with op.batch_alter_table('collaboration_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collaboration_members_influencer_id'))
        batch_op.drop_index(batch_op.f('ix_collaboration_members_collaboration_id'))

    op.drop_table('collaboration_members')
    with op.batch_alter_table('collaborations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collaborations_created_at'))
        batch_op.drop_index(batch_op.f('ix_collaborations_batch_id'))
        batch_op.drop_index(batch_op.f('ix_collaborations_account_id'))
        batch_op.drop_index('ix_collaborations_account_created')

    op.drop_table('collaborations')
