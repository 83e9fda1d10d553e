"""Japan Standard Time: every time the bot shows or stores is in JST (no framework imports,
so the pure survey and message modules can use it)."""
from datetime import timedelta, timezone

JST = timezone(timedelta(hours=9))
