"""Writes and long reads of the Excel app. Views, commands and tasks call these."""
