"""The hotline agent console (bot.console.app)."""
