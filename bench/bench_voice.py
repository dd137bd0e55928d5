"""Voice figures: ``python -m bench.bench_voice``.

Prints how long decoding and measuring a sample takes (20 s and the 5-minute maximum, WAV and MP3, made
here), the local embedding model's load time and texts per second on post-sized texts, and beside them an
anchor measured in the same run (ffmpeg decoding the same WAV to nothing), so a slow machine shows as a slow
anchor. A figure to watch, not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import time
from pathlib import Path

import imageio_ffmpeg

from providers.embeddings.local import provider as embeddings
from providers.voice.audio import decode_audio, measure_traits
from tests.utils.audio import buzz_wav, transcode

TEXTS = [
    f"post {i}: slow morning at the market, coffee in hand, the light doing its thing ☀️ #slowliving"
    for i in range(500)
]


def _anchor(wav: bytes) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "in.wav"
        path.write_bytes(wav)
        started = time.perf_counter()
        subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-i", str(path), "-f", "null", "-"],
            check=True,
        )
        return time.perf_counter() - started


async def main() -> None:
    for seconds in (20.0, 300.0):
        wav = buzz_wav(seconds, 150.0)
        for name, data in (("wav", wav), ("mp3", transcode(wav, "mp3"))):
            started = time.perf_counter()
            audio = await decode_audio(data)
            decoded = time.perf_counter() - started
            measure_traits(audio.samples)
            total = time.perf_counter() - started
            print(
                f"voice sample {seconds:>5.0f} s {name}: decode {decoded * 1000:7.0f} ms, "
                f"decode+traits {total * 1000:7.0f} ms"
            )
        print(f"  anchor: ffmpeg decodes the {seconds:.0f} s WAV to null in {_anchor(wav) * 1000:.0f} ms")
    started = time.perf_counter()
    embeddings.embed_now(["warm up"])
    print(f"embeddings: model loaded from the wheel in {(time.perf_counter() - started) * 1000:.0f} ms")
    started = time.perf_counter()
    embeddings.embed_now(TEXTS)
    elapsed = time.perf_counter() - started
    print(f"embeddings: {len(TEXTS)} post-sized texts in {elapsed * 1000:.0f} ms ({len(TEXTS) / elapsed:.0f} texts/s)")


if __name__ == "__main__":
    asyncio.run(main())
