"""The HTTP edge: what /api/messages accepts, who may call it, how the bot calls the
Connector back (retries, pacing), and the health endpoints."""
