"""Documents for people, made from what the engine holds: the 6-month and year results
report (.docx), the audit evidence register (.xlsx, .zip) and calendars (.ics).

Everything here reads state through the scheduler's tables and queries; nothing writes
to them except the draft job, which records its run and its outbox rows like the digest.
"""
