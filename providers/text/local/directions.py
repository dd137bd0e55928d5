"""Content directions drafted from a free-form prompt: recurring post formats on the prompt's own topics.

Topics are the prompt's meaningful phrases ("cozy autumn", "Paris cafes", "books"); each direction pairs
one with a different format (day in the life, hidden gems, ...), so titles never repeat and every
direction names something the prompt asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.seeds import seeded_random
from providers.text.base import ContentDirectionRequest, ContentDirectionResult
from providers.text.local.lexicon import STOPWORDS, content_words, fold, hashtag, tokens

SETTING_WORDS = frozenset(
    "cafe cafes beach home kitchen gym studio city street streets park garden office rooftop forest "
    "mountain mountains lake pool bar restaurant market library bookstore museum gallery airport hotel "
    "bedroom desert island countryside campus".split()
)
MOOD_WORDS: dict[str, str] = {
    "cozy": "cozy", "calm": "calm", "slow": "relaxed", "relaxed": "relaxed", "energetic": "energetic",
    "fun": "playful", "playful": "playful", "creative": "creative", "moody": "reflective", "happy": "happy",
    "romantic": "romantic", "dreamy": "dreamy", "adventurous": "adventurous", "bold": "confident",
    "confident": "confident", "nostalgic": "nostalgic", "motivated": "motivated", "productive": "motivated",
}  # fmt: skip
GENERIC = frozenset("create creating make making share sharing show showing want wants post posting "
                    "series week month plan plans content ideas inspo inspiration".split())  # fmt: skip


@dataclass(frozen=True)
class Angle:
    title: str
    description: str
    moods: tuple[str, ...]
    setting: str


ANGLES: tuple[Angle, ...] = (
    Angle(
        "Day in the Life",
        "A full day with {who}, built around {topic} and {other}, from first light to the last story of "
        "the night.",
        ("relaxed", "happy"),
        "home",
    ),
    Angle(
        "Hidden Gems",
        "{Who} shares the little-known side of {topic}, with {other} as the detail people save for later.",
        ("adventurous", "creative"),
        "city streets",
    ),
    Angle(
        "Morning Rituals",
        "Slow starts where {topic} sets the tone and {other} fills the quiet moments.",
        ("calm", "cozy"),
        "home",
    ),
    Angle(
        "Behind the Scenes",
        "The unpolished making-of behind {topic}: setups, outtakes and how {other} fits in.",
        ("playful", "creative"),
        "studio",
    ),
    Angle(
        "Mini Guide",
        "Short, saveable guides to {topic}, each ending with one tip about {other}.",
        ("confident", "motivated"),
        "city",
    ),
    Angle(
        "Weekly Reset",
        "A recurring reset post: what {topic} looked like this week and what {other} taught {who}.",
        ("reflective", "calm"),
        "home",
    ),
    Angle(
        "Outfit Diaries",
        "What {who} wears for {topic}, styled around {other}.",
        ("confident", "playful"),
        "city streets",
    ),
    Angle(
        "Little Wins",
        "Small celebrations tied to {topic}; every post closes on a win involving {other}.",
        ("happy", "motivated"),
        "cafe",
    ),
    Angle(
        "Then vs Now",
        "Side-by-side posts on how {topic} has changed for {who}, with {other} as the constant.",
        ("nostalgic", "reflective"),
        "home",
    ),
    Angle(
        "Ask Me Anything",
        "Audience questions about {topic} answered in {who}'s voice, with a nod to {other}.",
        ("playful", "happy"),
        "home",
    ),
    Angle(
        "Golden Hour Stories",
        "Evening posts where {topic} meets the best light of the day, and {other} makes the frame.",
        ("dreamy", "romantic"),
        "rooftop",
    ),
    Angle(
        "Five Favourites",
        "Ranked lists of five favourites from {topic}, plus one wildcard about {other}.",
        ("happy", "creative"),
        "cafe",
    ),
)


def topics(prompt: str) -> list[str]:
    """Runs of meaningful words from the prompt (at most three words each), in order."""
    runs: list[list[str]] = [[]]
    for position, token in enumerate(tokens(prompt)):
        word = fold(token)
        if len(word) < 3 or word in STOPWORDS or word in GENERIC:
            runs.append([])
        else:
            # A capital mid-sentence is a name ("Paris"); the prompt's first word is capitalised by grammar.
            runs[-1].append(token if position and token[:1].isupper() else word)
    phrases = [" ".join(run[:3]) for run in runs if run]
    return list(dict.fromkeys(phrases)) or [" ".join(prompt.split()[:4])]


def draft_directions(request: ContentDirectionRequest) -> ContentDirectionResult:
    rng = seeded_random("directions", request.seed, request.prompt, request.profile_name)
    found = topics(request.prompt)
    words = content_words(f"{request.prompt} {request.personality}")
    moods = list(dict.fromkeys(MOOD_WORDS[word] for word in words if word in MOOD_WORDS))
    settings = [word for word in content_words(request.prompt) if word in SETTING_WORDS]
    angles = list(ANGLES)
    rng.shuffle(angles)
    who = request.profile_name.strip() or "the creator"
    directions = []
    for index in range(request.count):
        angle = angles[index % len(angles)]
        topic = found[index % len(found)]
        other = found[(index + 1) % len(found)] if len(found) > 1 else _trait(request.personality, topic)
        slots = {"topic": topic, "other": other, "who": who, "Who": who[:1].upper() + who[1:]}
        title = f"{' '.join(word[:1].upper() + word[1:] for word in topic.split())}: {angle.title}"
        tags = [hashtag(topic), hashtag(angle.title), *(hashtag(word) for word in content_words(other)[:1])]
        directions.append({
            "title": title,
            "description": angle.description.format(**slots),
            "moods": (moods or list(angle.moods))[:3],
            "settings": (settings or [angle.setting])[:3],
            "hashtags": list(dict.fromkeys(tag for tag in tags if tag)),
        })  # fmt: skip
    return ContentDirectionResult.model_validate({"directions": directions})


def _trait(personality: str, topic: str) -> str:
    words = [word for word in content_words(personality) if word not in topic]
    return f"a {words[0]} point of view" if words else "everyday moments"
