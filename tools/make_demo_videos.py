#!/usr/bin/env python3
"""Make the demo site's webinar recordings from their own transcripts.

The demo needs real, playable, self-hosted videos (a made-up YouTube id would be a dead link),
so each webinar page's transcript is narrated with espeak-ng over one slide per paragraph, and
WebVTT captions are timed from the narration. Needs ffmpeg, ffprobe and espeak-ng (Debian
packages); neither the build nor the tests need them: the outputs are committed.

Usage: python tools/make_demo_videos.py   (writes content/wiki/videos/media/*.webm and *.vtt)
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIDEOS = ROOT / "content" / "wiki" / "videos"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def transcript(page: Path) -> tuple[str, list[str]]:
    """The page's title and the paragraphs of its transcript, as plain text."""
    text = page.read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text, re.M).group(1).strip()
    body = text.split("## Transcript", 1)[1]
    paragraphs = []
    for block in re.split(r"\n\s*\n", body):
        block = re.sub(r"\*\*(.+?)\*\*", r"\1", block.strip())
        block = re.sub(r"\[(.+?)\]\([^)]*\)", r"\1", block)
        if block and not block.startswith(("This is an edited transcript", "<!--")):
            paragraphs.append(" ".join(block.split()))
    return title, paragraphs


def duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


def stamp(seconds: float) -> str:
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours:02}:{minutes:02}:{secs:06.3f}"


def escape_drawtext(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:").replace("'", "’").replace("%", "\\%")


def make(page: Path, work: Path) -> None:
    title, paragraphs = transcript(page)
    media = VIDEOS / "media"
    media.mkdir(exist_ok=True)
    clips, cues, t = [], [], 0.0
    for n, paragraph in enumerate(paragraphs):
        speaker, _, words = paragraph.partition(": ")
        spoken = words if words and len(speaker) < 40 else paragraph
        wav = work / f"{n:03}.wav"
        # On standard input: a paragraph starting with "-" would read as an option.
        subprocess.run(
            ["espeak-ng", "-v", "en-us", "-s", "165", "-w", str(wav), "--stdin"],
            input=spoken,
            text=True,
            check=True,
        )
        length = duration(wav) + 0.4
        caption = textwrap.fill(spoken if len(spoken) < 260 else spoken[:257] + "...", 58)
        header = speaker if words and len(speaker) < 40 else "Presenter"
        clip = work / f"{n:03}.webm"
        draw = (
            f"drawtext=fontfile={BOLD}:text='{escape_drawtext(title)}':x=40:y=36:fontsize=26:"
            f"fontcolor=white,drawtext=fontfile={FONT}:text='{escape_drawtext(header)}':x=40:"
            f"y=100:fontsize=22:fontcolor=0xffbf47,drawtext=fontfile={FONT}:"
            f"text='{escape_drawtext(caption)}':x=40:y=150:fontsize=22:fontcolor=white:"
            "line_spacing=10"
        )
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"color=c=0x0b5069:s=960x540:r=2:d={length:.2f}",
                "-i",
                str(wav),
                "-vf",
                draw,
                "-c:v",
                "libvpx-vp9",
                "-b:v",
                "15k",
                "-c:a",
                "libopus",
                "-b:a",
                "16k",
                "-ac",
                "1",
                "-shortest",
                str(clip),
            ],
            check=True,
        )
        clips.append(clip)
        # One cue per sentence, timed in proportion to its length within the paragraph.
        sentences = re.split(r"(?<=[.?!])\s+", spoken)
        total = sum(len(s) for s in sentences) or 1
        start = t
        for sentence in sentences:
            end = start + (length - 0.4) * len(sentence) / total
            cues.append(
                (start, end, f"{header}: {sentence}" if sentence is sentences[0] else sentence)
            )
            start = end
        t += duration(clip)
    listing = work / "clips.txt"
    listing.write_text("".join(f"file '{c}'\n" for c in clips))
    out = media / f"{page.stem}.webm"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(listing),
            "-c",
            "copy",
            str(out),
        ],
        check=True,
    )
    vtt = ["WEBVTT", ""]
    for i, (start, end, text) in enumerate(cues, start=1):
        vtt += [str(i), f"{stamp(start)} --> {stamp(end)}", textwrap.fill(text, 60), ""]
    (media / f"{page.stem}.vtt").write_text("\n".join(vtt), encoding="utf-8")
    total = duration(out)
    print(
        f"{out.relative_to(ROOT)}: {int(total // 60)}:{int(total % 60):02}, "
        f"{out.stat().st_size / 1024:.0f} KB, {len(cues)} captions"
    )


def main() -> None:
    for page in sorted(VIDEOS.glob("*-webinar.md")):
        with tempfile.TemporaryDirectory() as work:
            make(page, Path(work))


if __name__ == "__main__":
    main()
