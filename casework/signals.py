"""Signals sent by casework services *inside* their transaction.

``case_event_recorded`` fires for every new timeline row; notifications listens
and writes its ledger rows in the same transaction, so a notification exists if
and only if the change it announces was committed.
"""
from django.dispatch import Signal

case_event_recorded = Signal()  # kwargs: event (CaseEvent)
meeting_finalised = Signal()  # kwargs: meeting
