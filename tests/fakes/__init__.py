"""Fakes of the services around the bot: the Teams Bot Connector and a Teams client."""
