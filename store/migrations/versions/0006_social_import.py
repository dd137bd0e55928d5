"""social import: import jobs and the media library

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:35:55.367232
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_jobs',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.String(length=40), nullable=False),
    sa.Column('social_account_id', sa.String(length=40), nullable=False),
    sa.Column('profile_id', sa.String(length=40), nullable=True),
    sa.Column('platform', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('discovered', sa.Integer(), nullable=False),
    sa.Column('imported', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('since', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('max_posts', sa.Integer(), nullable=False),
    sa.Column('include_media', sa.Boolean(), nullable=False),
    sa.Column('cursor', sa.Text(), nullable=True),
    sa.Column('failures', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('workflow_id', sa.String(length=200), nullable=False),
    sa.Column('run_id', sa.String(length=100), nullable=True),
    sa.Column('started_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['social_account_id'], ['social_accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_import_jobs_account_created', ['account_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_social_account_id'), ['social_account_id'], unique=False)

    op.create_table('media_library_items',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.String(length=40), nullable=False),
    sa.Column('profile_id', sa.String(length=40), nullable=True),
    sa.Column('social_account_id', sa.String(length=40), nullable=False),
    sa.Column('platform', sa.String(length=30), nullable=False),
    sa.Column('platform_post_id', sa.String(length=200), nullable=False),
    sa.Column('post_url', sa.Text(), nullable=True),
    sa.Column('media_type', sa.String(length=10), nullable=False),
    sa.Column('media_key', sa.String(length=500), nullable=True),
    sa.Column('thumbnail_key', sa.String(length=500), nullable=True),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('posted_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('import_job_id', sa.String(length=40), nullable=True),
    sa.Column('imported_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['social_account_id'], ['social_accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('social_account_id', 'platform_post_id', name='uq_media_library_post')
    )
    with op.batch_alter_table('media_library_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_library_items_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_library_items_import_job_id'), ['import_job_id'], unique=False)
        batch_op.create_index('ix_media_library_profile_posted', ['profile_id', 'posted_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('media_library_items', schema=None) as batch_op:
        batch_op.drop_index('ix_media_library_profile_posted')
        batch_op.drop_index(batch_op.f('ix_media_library_items_import_job_id'))
        batch_op.drop_index(batch_op.f('ix_media_library_items_account_id'))

    op.drop_table('media_library_items')
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_jobs_social_account_id'))
        batch_op.drop_index(batch_op.f('ix_import_jobs_profile_id'))
        batch_op.drop_index(batch_op.f('ix_import_jobs_created_at'))
        batch_op.drop_index(batch_op.f('ix_import_jobs_account_id'))
        batch_op.drop_index('ix_import_jobs_account_created')

    op.drop_table('import_jobs')
