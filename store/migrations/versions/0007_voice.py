"""voice: samples, clones and the written-voice corpus

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 01:26:50.883522
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('voice_clones',
    sa.Column('influencer_id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=True),
    sa.Column('voice_id', sa.String(length=200), nullable=True),
    sa.Column('fingerprint', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('workflow_id', sa.String(length=200), nullable=True),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['influencer_id'], ['influencers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('influencer_id')
    )
    with op.batch_alter_table('voice_clones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voice_clones_account_id'), ['account_id'], unique=False)

    op.create_table('voice_samples',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.String(length=40), nullable=False),
    sa.Column('influencer_id', sa.String(length=40), nullable=False),
    sa.Column('storage_key', sa.String(length=500), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('sample_rate', sa.Integer(), nullable=False),
    sa.Column('duration_seconds', sa.Float(), nullable=False),
    sa.Column('traits', sa.JSON(), nullable=False),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['influencer_id'], ['influencers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('voice_samples', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voice_samples_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_voice_samples_influencer_created', ['influencer_id', 'created_at'], unique=False)

    op.create_table('voice_corpus_samples',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.String(length=40), nullable=False),
    sa.Column('profile_id', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_ref', sa.String(length=60), nullable=False),
    sa.Column('platform', sa.String(length=30), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('posted_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('embedding', sa.JSON(), nullable=True),
    sa.Column('embedding_model', sa.String(length=100), nullable=True),
    sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('profile_id', 'source_ref', name='uq_voice_corpus_source')
    )
    with op.batch_alter_table('voice_corpus_samples', schema=None) as batch_op:
        batch_op.create_index('ix_voice_corpus_profile_posted', ['profile_id', 'posted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_voice_corpus_samples_account_id'), ['account_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('voice_corpus_samples', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voice_corpus_samples_account_id'))
        batch_op.drop_index('ix_voice_corpus_profile_posted')

    op.drop_table('voice_corpus_samples')
    with op.batch_alter_table('voice_samples', schema=None) as batch_op:
        batch_op.drop_index('ix_voice_samples_influencer_created')
        batch_op.drop_index(batch_op.f('ix_voice_samples_account_id'))

    op.drop_table('voice_samples')
    with op.batch_alter_table('voice_clones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voice_clones_account_id'))

    op.drop_table('voice_clones')
