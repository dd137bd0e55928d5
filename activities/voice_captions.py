"""Voice-grounded captions for a profile: describe the image with the vision provider, retrieve the corpus
samples nearest that description (and the instruction), have the text provider write captions with those
samples as the voice to follow, fit them to the platform's length, and score how close each sits to the
corpus (``voiceMatch``)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import gone, provider_errors
from activities.heartbeat import heartbeating
from activities.voice_corpus import CorpusGrounding
from contracts.jobs import CaptionsGenerated, GroundingSample, VoiceCaptionInput, WrittenCaption
from domain.seeds import derived_seed
from domain.voice import CAPTION_LIMITS
from domain.voice_style import voice_match
from providers.embeddings.base import EmbeddingsProvider
from providers.storage.base import MediaStorage
from providers.text.base import CaptionRequest, CaptionResult, TextProvider
from providers.vision.base import PhotoInput, VisionProvider
from store.db import transaction
from store.repositories.content import ContentRepository
from store.repositories.jobs import JobRepository
from store.repositories.profiles import ProfileRepository

VOICE_CORPUS_EMPTY = "VoiceCorpusEmpty"


def fit_to_platform(result: CaptionResult, platform: str | None) -> WrittenCaption:
    """Caption and hashtags within the platform's limit: hashtags go first, then the text is cut at a word."""
    limit = CAPTION_LIMITS.get(platform or "", 2200)
    text, tags = result.caption.strip(), list(result.hashtags)
    while tags and len(" ".join([text, *tags])) > limit:
        tags.pop()
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return WrittenCaption(text=text, hashtags=tags)


class VoiceCaptionActivities:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        text: TextProvider,
        vision: VisionProvider,
        storage: MediaStorage,
        embeddings: EmbeddingsProvider,
        grounding: CorpusGrounding,
    ) -> None:
        self.session_factory = session_factory
        self.text = text
        self.vision = vision
        self.storage = storage
        self.embeddings = embeddings
        self.grounding = grounding

    async def _image(self, session: AsyncSession, input: VoiceCaptionInput) -> tuple[str, str]:
        """The storage key and content type of the image to describe."""
        if input.content_id:
            item = await ContentRepository(session).get(input.account_id, input.content_id)
            if item is None or not item.media_key:
                raise gone(f"content item {input.content_id}")
            return item.media_key, item.media_type if item.media_type.startswith("image/") else "image/png"
        if not input.image_key:
            raise ApplicationError("no image to describe", type="BadCaptionInput", non_retryable=True)
        return input.image_key, "image/png"

    @activity.defn
    @heartbeating
    async def write_voice_captions(self, input: VoiceCaptionInput) -> CaptionsGenerated:
        async with transaction(self.session_factory) as session:
            await JobRepository(session).mark_running(input.job_id)
            profile = await ProfileRepository(session).get(input.account_id, input.profile_id)
            if profile is None:
                raise gone(f"profile {input.profile_id}")
            key, content_type = await self._image(session, input)
        image = await self.storage.get(key)
        with provider_errors():
            analysis = await self.vision.analyze([PhotoInput(data=image, content_type=content_type)])
        description = analysis.base_prompt
        corpus = await self.grounding.corpus(input.account_id, input.profile_id)
        if not corpus:
            raise ApplicationError(
                "the profile has no voice corpus: import posts or add voice samples first",
                type=VOICE_CORPUS_EMPTY,
                non_retryable=True,
            )
        grounded = await self.grounding.nearest(corpus, " ".join([description, input.instruction or ""]))
        examples = [g.entry.text for g in grounded]
        captions = []
        for index in range(input.count):
            request = CaptionRequest(
                influencer_name=profile.name,
                scene_description=description,
                voice_samples=examples,
                instruction=input.instruction,
                seed=derived_seed(0, input.job_id, index),
            )
            with provider_errors():
                captions.append(fit_to_platform(await self.text.caption(request), input.platform))
        with provider_errors():
            vectors = await self.embeddings.embed([self._full(c) for c in captions])
        texts, corpus_vectors = [e.text for e in corpus], [e.vector for e in corpus]
        scores = [voice_match(self._full(c), v, texts, corpus_vectors) for c, v in zip(captions, vectors, strict=True)]
        return CaptionsGenerated(
            captions=captions,
            grounding=[
                GroundingSample(id=g.entry.id, text=g.entry.text, source=g.entry.source, similarity=g.similarity)
                for g in grounded
            ],
            image_description=description,
            voice_match=round(sum(scores) / len(scores), 4),
        )

    @staticmethod
    def _full(caption: WrittenCaption) -> str:
        return " ".join([caption.text, *caption.hashtags]).strip()
