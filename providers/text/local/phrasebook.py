"""The caption phrasebook: moods, times of day, personality traits and the sentence templates built from them.

Templates name their slots (``{setting}``, ``{adj}``, ...) and are only used when every slot has a value.
A ``c:`` prefix marks a casual-only template, ``f:`` a formal-only one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mood:
    adjectives: tuple[str, ...]
    emojis: tuple[str, ...]
    hashtags: tuple[str, ...]


@dataclass(frozen=True)
class Trait:
    keywords: frozenset[str]
    lines: tuple[str, ...]
    hashtags: tuple[str, ...]
    emoji: str


def _mood(adjectives: str, emojis: str, hashtags: str) -> Mood:
    return Mood(tuple(adjectives.split()), tuple(emojis.split()), tuple(hashtags.split()))


def _trait(keywords: str, lines: tuple[str, ...], hashtags: str, emoji: str) -> Trait:
    return Trait(frozenset(keywords.split()), lines, tuple(hashtags.split()), emoji)


# fmt: off
MOODS: dict[str, Mood] = {
    "creative": _mood("inspired creative imaginative", "🎨 ✨", "#creativelife"),
    "relaxed": _mood("easy unhurried slow", "🌿 ☕", "#slowliving"),
    "energetic": _mood("electric unstoppable buzzing", "⚡ 🔥", "#goodenergy"),
    "happy": _mood("happy sunny bright", "😊 🌞", "#goodvibes"),
    "cozy": _mood("cozy warm snug", "🧸 ☕", "#cozyseason"),
    "reflective": _mood("thoughtful quiet reflective", "🌙 📖", "#reflection"),
    "confident": _mood("confident bold fearless", "💪 ✨", "#confidence"),
    "romantic": _mood("dreamy tender romantic", "💕 🌹", "#romantic"),
    "adventurous": _mood("wild curious adventurous", "🗺️ 🏔️", "#adventure"),
    "playful": _mood("playful silly light", "😜 🎈", "#funtimes"),
    "calm": _mood("calm peaceful still", "🕊️ 🌊", "#calm"),
    "motivated": _mood("focused driven determined", "🚀 💯", "#motivation"),
    "nostalgic": _mood("nostalgic sentimental golden", "📷 🎞️", "#nostalgia"),
    "dreamy": _mood("dreamy soft floaty", "☁️ ✨", "#dreamy"),
}
TIME_EMOJI = {"morning": "☀️", "afternoon": "🌤️", "evening": "🌅", "night": "🌙"}
TIME_HASHTAGS = {
    "morning": ("#morningvibes", "#goodmorning"), "afternoon": ("#afternoonvibes",),
    "evening": ("#goldenhour", "#eveningvibes"), "night": ("#nightout", "#latenight"),
}

TRAITS: dict[str, Trait] = {
    "fitness": _trait("fitness gym workout athlete runner running yoga training lifting pilates sporty",
                      ("Moving my body because it feels good", "Rest days count too",
                       "c:One more rep, then coffee", "f:Consistency over intensity, every time"),
                      "#fitness #fitlife", "💪"),
    "coffee": _trait("coffee latte espresso barista cafe caffeine",
                     ("Powered by coffee, as usual", "c:Coffee first, everything else later",
                      "f:There is always time for a good coffee"), "#coffeetime", "☕"),
    "travel": _trait("travel traveler traveller wanderlust explorer nomad trips adventure backpacker",
                     ("Collecting places, not things", "Another pin on the map",
                      "f:Every city teaches me something new"), "#travelgram #wanderlust", "✈️"),
    "fashion": _trait("fashion style stylish outfit outfits designer stylist trendy chic",
                      ("Outfit planned, mood matched", "Getting dressed is my favourite daily ritual",
                       "c:Fit check passed"), "#ootd #styleinspo", "👗"),
    "food": _trait("foodie food cooking chef baking baker recipes kitchen",
                   ("Already thinking about the next meal", "c:Snack break is non-negotiable",
                    "f:Good food makes good days"), "#foodie", "🍝"),
    "art": _trait("artist art creative painter painting design designer illustrator drawing photographer",
                  ("Finding colour everywhere I look", "Every day is a sketchbook page",
                   "f:Inspiration tends to arrive quietly"), "#creative #artlife", "🎨"),
    "books": _trait("books book reader reading bookworm writer writing poetry literature",
                    ("Currently reading, always", "A good chapter fixes most things",
                     "f:There is a story in every ordinary afternoon"), "#bookstagram", "📚"),
    "music": _trait("music musician singer songwriter dj guitar piano playlist",
                    ("Soundtrack on repeat", "c:Playlist doing all the heavy lifting",
                     "f:The right song changes the whole day"), "#musiclover", "🎶"),
    "nature": _trait("nature outdoors outdoorsy hiking hiker plants gardening garden mountains ocean",
                     ("Fresh air fixes everything", "Taking the long way through the trees",
                      "f:Time outside is time well spent"), "#naturelover", "🌿"),
    "tech": _trait("tech technology developer coder engineer startup gadgets coding",
                   ("Offline for a minute, by choice", "c:Shipped it, now celebrating",
                    "f:Building things that matter"), "#techlife", "💻"),
    "wellness": _trait("wellness mindful mindfulness meditation selfcare balance holistic",
                       ("Protecting my peace today", "Breathing slower on purpose",
                        "f:Rest is productive too"),
                       "#selfcare #wellness", "🧘"),
    "beauty": _trait("beauty makeup skincare glam cosmetics",
                     ("Skin first, then everything else", "c:Glow check: passed",
                      "f:Simple routines, real glow"),
                     "#skincare", "💄"),
    "humor": _trait("funny witty sarcastic humor humour jokes comedian goofy",
                    ("c:Professional overthinker, amateur napper",
                     "Trying my best and occasionally succeeding", "c:This is my serious face, apparently"),
                    "#relatable", "😂"),
    "pets": _trait("dog dogs cat cats pet pets puppy kitten",
                   ("My four-legged co-star approves", "c:The dog picked the spot",
                    "f:Best company, as always"),
                   "#petsofinstagram", "🐾"),
}

OPENERS: dict[str, tuple[str, ...]] = {
    "morning": ("Good morning from {setting}", "Slow morning, {adj} mood", "This morning felt {adj}",
                "Morning light at {setting}", "Early morning, {adj} heart",
                "c:Mornings at {setting} hit different", "f:A quiet morning at {setting}"),
    "afternoon": ("Afternoon at {setting}", "Spending the afternoon at {setting}", "A {adj} afternoon",
                  "c:Lazy afternoon energy", "Midday sun, {adj} mood",
                  "f:An afternoon well spent at {setting}"),
    "evening": ("Evening at {setting}", "Golden hour this evening at {setting}",
                "Ending the evening on a {adj} note", "This evening was {adj}",
                "c:Evening plans: none, and I love it", "f:A {adj} evening at {setting}"),
    "night": ("Night out at {setting}", "Late night at {setting}", "Tonight felt {adj}",
              "Midnight thoughts, {adj} mood", "c:Night mode: on", "f:A {adj} night at {setting}"),
    "any": ("Feeling {adj} today", "A {adj} kind of day", "Today at {setting}", "Currently: {adj}",
            "c:Just {setting_bare} things", "f:A {adj} day at {setting}"),
}
SCENE_GERUND = ("{Scene}", "Currently {scene}", "Nothing beats {scene}", "c:Just {scene}, honestly",
                "Spent the {time} {scene}", "f:Time well spent {scene}")
SCENE_NOUN = ("{Scene}", "Today's view: {scene}", "Scene: {scene}", "c:{Scene}, no filter needed",
              "Picture this: {scene}", "f:The view today: {scene}")
SETTING_LINES = ("{Setting} is my happy place", "Can't get enough of {setting}", "Back at {setting}",
                 "c:{Setting}, again, obviously", "f:Returning to {setting}, as always")
DIRECTION_LINES = ("New chapter of {direction}", "Part of my {direction} series",
                   "Adding to the {direction} files", "{Direction}, continued",
                   "f:Another entry in {direction}")
CLOSERS = ("More soon", "Saving this one", "Grateful for days like this", "Sharing the little things",
           "c:Not me wanting to stay forever", "f:Thank you for being here", "Here's to more of this")
QUESTIONS = ("Where are you spending your {time_or_day}?", "Who else needed a {adj} {time_or_day} like this?",
             "What would you add to {setting}?", "How's your {time_or_day} going?",
             "c:Tell me: {adj} or chaotic today?", "f:What does a {adj} {time_or_day} look like for you?",
             "What's your go-to {topic}?")
EXTRAS = ("Little moments like these are the whole point", "Note to self: slow down more often",
          "Some days you just follow the light", "f:It is the small rituals that make a day",
          "Keeping this one close", "c:10/10 would recommend",
          "Romanticising the ordinary, one post at a time", "Proof that the simple plans are the best ones")
PLACE_LINES = ("Sending love from {place}", "{Place}, you never miss", "f:Greetings from {place}")
TOPIC_LINES = ("Had to mention {topic}", "Also: {topic}", "Shoutout to {topic}", "Can't skip {topic} today")
THEME_LINES = ("Leaning into the {theme} side of things", "Feeling very {theme} about it",
               "A little {theme}, a lot of me")
SIGNATURE_LINES = ("{word}, always", "{word} mode on", "Peak {word}", "Very {word} of me")
CASUAL_LEADS = ("Honestly,", "Not gonna lie,", "Okay but", "Lowkey")
GENERIC_HASHTAGS = ("#dailyinspo", "#lifestyle", "#photooftheday", "#everydaymoments", "#creatorlife",
                    "#instadaily", "#weekendmood", "#storytime", "#mood", "#inspiration", "#goodtimes",
                    "#explorepage")
# fmt: on
