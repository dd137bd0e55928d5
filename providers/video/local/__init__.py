"""The embedded video renderer: Ken Burns camera motion, text overlays and fades over one image, encoded by
the bundled ffmpeg into an MP4 every platform accepts."""
