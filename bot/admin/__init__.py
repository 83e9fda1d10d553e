"""`python -m bot.admin`: the administrator's data tool (backup, restore, deletion).

Connects to the bot's Redis as the bot does; never asks anything interactively.
"""
