"""nhacviec: reminders and escalation for ISO 9001 quality-objective plans."""

__version__ = "0.1.0"
