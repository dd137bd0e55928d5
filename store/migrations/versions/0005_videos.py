"""videos: content video, comparisons and variants

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 17:43:01.441365
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('video_comparisons',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.String(length=40), nullable=False),
    sa.Column('content_id', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('workflow_id', sa.String(length=200), nullable=False),
    sa.Column('run_id', sa.String(length=100), nullable=True),
    sa.Column('selected_variant_id', sa.String(length=40), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('finished_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['content_id'], ['content_items.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('video_comparisons', schema=None) as batch_op:
        batch_op.create_index('ix_video_comparisons_account_content', ['account_id', 'content_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_comparisons_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_comparisons_created_at'), ['created_at'], unique=False)

    op.create_table('video_variants',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('comparison_id', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=2), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('video', sa.JSON(), nullable=True),
    sa.Column('error_code', sa.String(length=100), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comparison_id'], ['video_comparisons.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('comparison_id', 'position', name='uq_video_variants_position')
    )
    with op.batch_alter_table('video_variants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_variants_comparison_id'), ['comparison_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_variants_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('video', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.drop_column('video')

    with op.batch_alter_table('video_variants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_variants_created_at'))
        batch_op.drop_index(batch_op.f('ix_video_variants_comparison_id'))

    op.drop_table('video_variants')
    with op.batch_alter_table('video_comparisons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_comparisons_created_at'))
        batch_op.drop_index(batch_op.f('ix_video_comparisons_account_id'))
        batch_op.drop_index('ix_video_comparisons_account_content')

    op.drop_table('video_comparisons')
