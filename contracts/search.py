"""Typed keys of the custom search attributes (registered by the worker, see core.temporal)."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

ACCOUNT_ID = SearchAttributeKey.for_keyword("AccountId")
INFLUENCER_ID = SearchAttributeKey.for_keyword("InfluencerId")
PROFILE_ID = SearchAttributeKey.for_keyword("ProfileId")
CONTENT_ID = SearchAttributeKey.for_keyword("ContentId")
BATCH_ID = SearchAttributeKey.for_keyword("BatchId")
CAMPAIGN_ID = SearchAttributeKey.for_keyword("CampaignId")


def search_attributes(
    account_id: str,
    *,
    influencer_id: str | None = None,
    profile_id: str | None = None,
    content_id: str | None = None,
    batch_id: str | None = None,
) -> TypedSearchAttributes:
    pairs: list[SearchAttributePair[str]] = [SearchAttributePair(ACCOUNT_ID, account_id)]
    for key, value in (
        (INFLUENCER_ID, influencer_id),
        (PROFILE_ID, profile_id),
        (CONTENT_ID, content_id),
        (BATCH_ID, batch_id),
    ):
        if value:
            pairs.append(SearchAttributePair(key, value))
    return TypedSearchAttributes(pairs)
