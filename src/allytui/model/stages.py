"""How a group's stage moves on as the relationship grows (the guide's steps 5 to 7)."""

from __future__ import annotations

from allytui.model.enums import Stage

_AFTER_CONVERSATION = {
    Stage.RESEARCHED: Stage.CONTACTED,
    Stage.SHORTLISTED: Stage.CONTACTED,
    Stage.CONTACTED: Stage.IN_CONVERSATION,
}


def next_stage_after_conversation(stage: Stage) -> Stage | None:
    """The stage to suggest after logging a conversation, or None when it should stay where it is."""
    return _AFTER_CONVERSATION.get(stage)
