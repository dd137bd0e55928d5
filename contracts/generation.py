"""Contracts of generation work: batches of content, reference packs and previews, item by item."""

from __future__ import annotations

from pydantic import Field

from contracts.base import Contract
from domain.batches import BatchKind, BatchStatus
from domain.vocabulary import TimeOfDay, View

BATCH_WORKFLOW = "BatchGenerationWorkflow"
CHUNK_WORKFLOW = "GenerationChunkWorkflow"


# A chunk is one child workflow: ~10 history events per item keeps 50 items near 500 events, and the
# parent holds a few events per chunk, so 1,000 items stay far below the 10,240-event warning.
DEFAULT_CHUNK_SIZE = 50
DEFAULT_CHUNKS_IN_FLIGHT = 2
DEFAULT_ITEM_CONCURRENCY = 4


def item_concurrency_for(image_concurrency: int) -> int:
    """Items each chunk keeps moving for a provider that takes ``image_concurrency`` renders at once: with
    ``DEFAULT_CHUNKS_IN_FLIGHT`` chunks that is twice the provider's pace, so the steps around each render
    (plan, caption, save) never leave a render slot idle; the worker's pacing holds renders to the pace."""
    return min(50, max(DEFAULT_ITEM_CONCURRENCY, image_concurrency))


def batch_workflow_id(batch_id: str) -> str:
    return f"batch-{batch_id}"


def chunk_workflow_id(batch_id: str, chunk: int) -> str:
    return f"batch-{batch_id}-chunk-{chunk}"


class GenerationOptions(Contract):
    mood: str | None = None
    setting: str | None = None
    time_of_day: TimeOfDay | None = None
    content_direction_id: str | None = None
    aesthetic_grade: str | None = None


class CollaborationSpec(Contract):
    """What a collaboration batch adds to a batch: its members (the first leads), its id and its scene text.
    Kept in the batch row's params too (``params()``), so a stranded batch can be started from its row."""

    collaboration_id: str
    member_ids: list[str]
    scene: str | None = None

    def params(self) -> dict[str, object]:
        params: dict[str, object] = {"collaboration_id": self.collaboration_id, "member_ids": list(self.member_ids)}
        if self.scene is not None:
            params["scene"] = self.scene
        return params


class BatchInput(Contract):
    """``influencer_id`` is the influencer a batch is about; a collaboration batch also names every member
    (the first is ``influencer_id``) and its collaboration. Defaults keep older histories replaying."""

    batch_id: str
    account_id: str
    kind: BatchKind
    count: int = Field(ge=1, le=1000)
    influencer_id: str
    profile_id: str | None = None
    options: GenerationOptions = GenerationOptions()
    chunk_size: int = Field(default=DEFAULT_CHUNK_SIZE, ge=1, le=200)
    chunks_in_flight: int = Field(default=DEFAULT_CHUNKS_IN_FLIGHT, ge=1, le=20)
    item_concurrency: int = Field(default=DEFAULT_ITEM_CONCURRENCY, ge=1, le=50)
    step_timeout_seconds: int = Field(default=600, ge=1, description="start-to-close of each item step")
    # A default, so histories recorded before the field existed still replay.
    heartbeat_timeout_seconds: int = Field(default=10, ge=1, description="heartbeat timeout of each item step")
    member_ids: list[str] = []
    collaboration_id: str | None = None
    scene: str | None = None


class ChunkInput(Contract):
    batch: BatchInput
    chunk: int
    start: int
    end: int


class ItemRef(Contract):
    batch_id: str | None = Field(description="None when regenerating a single item outside a batch")
    account_id: str
    kind: BatchKind
    position: int
    influencer_id: str
    profile_id: str | None = None
    options: GenerationOptions = GenerationOptions()
    member_ids: list[str] = []
    collaboration_id: str | None = None
    scene: str | None = None


class CastMember(Contract):
    """One member of a collaboration as placed in an item's scene: who, where, looking at whom, and how
    they look (their own appearance prompt, outfit and identity seed, references by storage key)."""

    influencer_id: str
    name: str
    role: str = Field(description="'front' for the member in front, 'beside' for the others")
    facing: str = Field(description="'camera', 'left' or 'right' as the viewer sees it")
    looking_at: str | None = Field(default=None, description="the name of the member they look at")
    prompt: str
    wardrobe: list[str] = []
    seed: int
    reference_keys: list[str] = []
    mention: str = Field(description="how captions name them: '@handle' on the target platform, else the name")


class CaptionVoice(Contract):
    """Who speaks in an item's caption, read once when the item is planned, so the caption step reads
    nothing back: the influencer's name, personality and bio, and the profile's directions for this item."""

    influencer_name: str
    personality: str = ""
    bio: str = ""
    content_directions: list[str] = []


class ItemPlan(Contract):
    """Everything decided before drawing: the scene, the outfit and the final prompt."""

    item: ItemRef
    result_id: str
    prompt: str
    seed: int
    view: View | None = None
    wardrobe: list[str] = []
    mood: str
    setting: str
    time_of_day: TimeOfDay
    props: list[str] = []
    direction_id: str | None = None
    direction_title: str | None = None
    grade_id: str
    scene_description: str
    media_namespace: str
    # Collaboration items only: every member, in stage order from the viewer's left.
    cast: list[CastMember] = []
    # Items that get a caption. None for references and previews, and in plans made before the field existed
    # (still in running workflows' histories): the caption step then reads the influencer itself.
    voice: CaptionVoice | None = None
    # True when the planning worker writes captions in process (local text, and local embeddings for the
    # voice grounding): the caption step is then a local activity. False in plans made before the field.
    quick_caption: bool = False


class RenderedMedia(Contract):
    media_key: str
    content_type: str
    width: int
    height: int


class SaveItemInput(Contract):
    plan: ItemPlan
    media: RenderedMedia


class GeneratedCaption(Contract):
    caption: str
    hashtags: list[str] = []


class SaveContentInput(SaveItemInput):
    caption: GeneratedCaption


class ItemFailure(Contract):
    batch_id: str
    position: int
    code: str
    message: str


class ChunkResult(Contract):
    completed: int
    failed: int


class BatchStarted(Contract):
    batch_id: str
    run_id: str


class FinalizeBatchInput(Contract):
    batch_id: str
    cancelled: bool = False


class BatchResult(Contract):
    batch_id: str
    status: BatchStatus
    completed: int
    failed: int
    cancelled: int
