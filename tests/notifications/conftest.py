"""The `outbox` fixture for the dispatcher and delivery-problem tests."""

from tests.notifications.outbox_world import outbox

__all__ = ["outbox"]
