"""Every periodic job, in one place, with why it runs when it does.

Nothing is scheduled days ahead with ETA/countdown (the Redis broker's
visibility timeout would redeliver it); instead short sweeps run often and
decide from the stored deadline fields what is due now.
"""
BEAT_SCHEDULE: dict = {}
