"""``/video-comparisons``: A/B video variants of a content item, and picking one."""
