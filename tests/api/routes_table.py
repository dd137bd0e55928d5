"""Every ``/api/v1`` route of the app, with a concrete URL and a valid body, for tests that walk them all.
A new route with a path parameter or body not known here makes those tests fail until it is added."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from api.app import API_PREFIX, create_app, iter_api_routes
from api.auth import route_scope
from api.jobs.service import JOB_STARTING_SCOPES
from core.scopes import Scope
from core.settings import Settings

# Valid bodies, so that a 404 or 403 cannot hide behind a 422.
SAMPLE_BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/influencers"): {"name": "Probe"},
    ("PUT", "/api/v1/influencers/{influencer_id}"): {"name": "Probe"},
    ("POST", "/api/v1/influencers/{influencer_id}/references"): {
        "references": [{"view": "front", "url": "http://127.0.0.1:9/none.png"}]
    },
    ("PATCH", "/api/v1/characters/{character_id}/ingredients"): {"moods": ["calm"]},
    ("POST", "/api/v1/profiles"): {"name": "Probe", "type": "managed"},
    ("PUT", "/api/v1/profiles/{profile_id}"): {"name": "Probe"},
    ("POST", "/api/v1/accounts"): {"platform": "sandbox", "handle": "probe"},
    ("PATCH", "/api/v1/accounts/{account_id}"): {"displayName": "Probe"},
    ("PUT", "/api/v1/accounts/{account_id}/sandbox-faults"): {"mode": "transient", "times": 1},
    ("PATCH", "/api/v1/content/{content_id}"): {"caption": "Probe"},
    ("POST", "/api/v1/content/{content_id}/reject"): {"reason": "Probe"},
    # The real body is multipart (file + fields); the route-table walks only reach the auth checks, which
    # run before the route reads its body, so any body will do here.
    ("POST", "/api/v1/content"): {"caption": "Probe", "profileId": "prof_probe"},
    ("POST", "/api/v1/content/generate"): {"profileId": "prof_probe", "count": 1},
    ("POST", "/api/v1/content/{content_id}/fine-tune-caption"): {"instruction": "shorter"},
    ("POST", "/api/v1/characters/{character_id}/wardrobe/generate"): {"count": 1},
    ("POST", "/api/v1/influencers/{influencer_id}/previews"): {"count": 1},
    ("POST", "/api/v1/profiles/{profile_id}/content-directions/draft"): {"prompt": "Probe"},
    # Multipart in reality; auth runs before the body is read, and no path parameter can 404 here.
    ("POST", "/api/v1/characters/analyze-photos"): {"files": []},
    ("POST", "/api/v1/accounts/connect/{platform}"): {"redirectUri": "https://app.example/callback"},
    ("POST", "/api/v1/content/{content_id}/video"): {"durationSeconds": 3},
    ("POST", "/api/v1/content/{content_id}/video-comparison"): {"variants": 2, "durationSeconds": 3},
    ("POST", "/api/v1/video-comparisons/{comparison_id}/select"): {"variantId": "vvar_probe"},
    ("POST", "/api/v1/social-import/{platform}"): {"accountId": "acc_probe"},
    ("POST", "/api/v1/webhooks"): {"url": "https://hooks.example/probe", "events": ["*"]},
    ("PATCH", "/api/v1/webhooks/{webhook_id}"): {"description": "Probe"},
    # The character is found (or 404) before the URL is fetched, so no fetch happens in the walks.
    ("POST", "/api/v1/characters/{character_id}/voice-samples"): {"url": "http://127.0.0.1:9/none.wav"},
    ("POST", "/api/v1/profiles/{profile_id}/voice-samples"): {"samples": [{"text": "Probe"}]},
    ("POST", "/api/v1/profiles/{profile_id}/generate-caption"): {"imageUrl": "http://127.0.0.1:9/none.png"},
    ("POST", "/api/v1/video-comparisons/{comparison_id}/experiment"): {"accountIds": ["acc_probe"], "window": "48h"},
    ("POST", "/api/v1/collaborations"): {
        "name": "Probe", "influencerIds": ["inf_probe_a", "inf_probe_b"], "profileId": "prof_probe"
    },
    ("POST", "/api/v1/campaigns"): {
        "name": "Probe",
        "profileId": "prof_probe",
        "schedule": {"slots": [{"days": ["mon"], "times": ["08:00"]}]},
    },
    ("PATCH", "/api/v1/campaigns/{campaign_id}"): {"name": "Probe"},
}

# Actions whose request has no body at all.
BODILESS: set[tuple[str, str]] = {
    ("POST", "/api/v1/content/{content_id}/approve"),
    ("POST", "/api/v1/content/{content_id}/regenerate"),
    ("POST", "/api/v1/batches/{batch_id}/cancel"),
    ("POST", "/api/v1/influencers/{influencer_id}/generate-references"),
    ("POST", "/api/v1/previews/{preview_id}/adopt"),
    ("POST", "/api/v1/content/{content_id}/publish"),
    ("POST", "/api/v1/content/{content_id}/publish/retry"),
    ("POST", "/api/v1/content/{content_id}/unpublish"),
    ("POST", "/api/v1/social-import/jobs/{import_job_id}/cancel"),
    ("POST", "/api/v1/webhooks/{webhook_id}/rotate-secret"),
    ("POST", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"),
    ("POST", "/api/v1/accounts/{account_id}/analytics/sync"),
    ("POST", "/api/v1/campaigns/{campaign_id}/pause"),
    ("POST", "/api/v1/campaigns/{campaign_id}/resume"),
    ("POST", "/api/v1/campaigns/{campaign_id}/trigger"),
}

# Routes that also accept other scopes than the one they declare, narrowed on the resource they load: a job
# is readable with content:read or with the scope that starts its kind. A key missing the declared scope but
# holding one of these may legitimately be let through, so the 403 walk takes these away too.
ALSO_ACCEPTED: dict[tuple[str, str], frozenset[Scope]] = {
    ("GET", "/api/v1/jobs/{job_id}"): frozenset(JOB_STARTING_SCOPES.values()),
}

# Which resource each path parameter names.
PARAM_RESOURCES: dict[str, str] = {
    "influencer_id": "influencer",
    "character_id": "influencer",
    "profile_id": "profile",
    "account_id": "social_account",
    "content_id": "content",
    "batch_id": "batch",
    "preview_id": "preview",
    "job_id": "job",
    "platform": "platform",
    "comparison_id": "video_comparison",
    "import_job_id": "import_job",
    "webhook_id": "webhook",
    "delivery_id": "webhook_delivery",
    "collaboration_id": "collaboration",
    "campaign_id": "campaign",
}


@dataclass(frozen=True)
class RouteCase:
    method: str
    path: str
    scope: Scope | None
    params: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, ids: dict[str, str]) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: ids[PARAM_RESOURCES[m.group(1)]], self.path)

    @property
    def also_accepted(self) -> frozenset[Scope]:
        return ALSO_ACCEPTED.get((self.method, self.path), frozenset())

    def body(self) -> Any:
        return SAMPLE_BODIES.get((self.method, self.path))


def api_routes() -> list[RouteCase]:
    cases = []
    for path, route in iter_api_routes(create_app(Settings())):
        if path.startswith(API_PREFIX):
            for method in sorted(route.methods or ()):
                params = tuple(re.findall(r"\{(\w+)\}", path))
                cases.append(RouteCase(method, path, route_scope(route), params))
    return cases


def needs_body(case: RouteCase) -> bool:
    return case.method in {"POST", "PUT", "PATCH"}
