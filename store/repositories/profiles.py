"""Profiles and the social accounts connected to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, select

from store.locking import lock_row
from store.models import Influencer, Profile, SocialAccount
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository
from store.types import utcnow


class ProfileRepository(OwnedRepository[Profile]):
    model = Profile
    noun = "profile"

    async def with_influencer_name(
        self, account_id: str, profile_id: str, influencer_id: str | None
    ) -> tuple[Profile, str | None] | None:
        """The account's profile and the name of the live influencer a batch for it would use (``influencer_id``,
        else the profile's own), in one query; the name is None when there is no such influencer."""
        influencer = Influencer.id == influencer_id if influencer_id else Influencer.id == Profile.influencer_id
        row = (
            await self.session.execute(
                select(Profile, Influencer.name)
                .outerjoin(
                    Influencer,
                    and_(influencer, Influencer.account_id == account_id, Influencer.deleted_at.is_(None)),
                )
                .where(Profile.account_id == account_id, Profile.id == profile_id)
            )
        ).first()
        return None if row is None else (row[0], row[1])


    async def list(self, account_id: str, *, limit: int, cursor: str | None, type_: str | None = None) -> Page[Profile]:
        query: Any = select(Profile).where(Profile.account_id == account_id)
        if type_:
            query = query.where(Profile.type == type_)
        return await paginate(
            self.session, query, created_col=Profile.created_at, id_col=Profile.id, limit=limit, cursor=cursor
        )


    async def save(self, profile: Profile) -> Profile:
        profile.updated_at = utcnow()
        await self.session.flush()
        await self.session.refresh(profile)
        return profile

    async def delete(self, profile: Profile) -> None:
        await self.session.delete(profile)
        await self.session.flush()


class SocialAccountRepository(OwnedRepository[SocialAccount]):
    model = SocialAccount
    noun = "account"

    async def get_for_update(self, social_account_id: str) -> SocialAccount | None:
        """The row, locked until commit (on SQLite too), re-read from the database."""
        return await lock_row(self.session, SocialAccount, social_account_id)

    async def find_by_platform_user(
        self, account_id: str, platform: str, platform_user_id: str
    ) -> SocialAccount | None:
        return await self.session.scalar(
            select(SocialAccount).where(
                SocialAccount.account_id == account_id,
                SocialAccount.platform == platform,
                SocialAccount.platform_user_id == platform_user_id,
            )
        )

    async def list(
        self,
        account_id: str,
        *,
        limit: int,
        cursor: str | None,
        profile_id: str | None = None,
        platform: str | None = None,
    ) -> Page[SocialAccount]:
        query: Any = select(SocialAccount).where(SocialAccount.account_id == account_id)
        if profile_id:
            query = query.where(SocialAccount.profile_id == profile_id)
        if platform:
            query = query.where(SocialAccount.platform == platform)
        return await paginate(
            self.session,
            query,
            created_col=SocialAccount.created_at,
            id_col=SocialAccount.id,
            limit=limit,
            cursor=cursor,
        )

    async def for_profiles(self, account_id: str, profile_ids: Sequence[str]) -> Sequence[SocialAccount]:
        if not profile_ids:
            return []
        query = select(SocialAccount).where(
            SocialAccount.account_id == account_id, SocialAccount.profile_id.in_(profile_ids)
        )
        return (await self.session.scalars(query.order_by(SocialAccount.created_at))).all()


    async def save(self, social_account: SocialAccount) -> SocialAccount:
        social_account.updated_at = utcnow()
        await self.session.flush()
        await self.session.refresh(social_account)
        return social_account

    async def delete(self, social_account: SocialAccount) -> None:
        await self.session.delete(social_account)
        await self.session.flush()
