"""``/analytics``: dashboard stats, engagement series, top content and platform totals."""
