"""The guide's first steps a new data repo has not taken yet, for the dashboard to suggest."""

from __future__ import annotations

from dataclasses import dataclass

from allytui.model.records import Kind, Person
from allytui.model.validation import RecordIndex


@dataclass(frozen=True)
class NextStep:
    """One step to suggest: the binding id that takes it, and what it is, in the guide's words."""

    action: str
    text: str


def next_steps(index: RecordIndex) -> list[NextStep]:
    """What to do next until the team is described, has members, and there are groups to work with."""
    steps: list[NextStep] = []
    if not index[Kind.TEAMS]:
        steps.append(NextStep("dashboard-team", "describe your team: motivations, priorities, red lines (step 1)"))
    elif not any(isinstance(p, Person) and p.member_of for p in index[Kind.PEOPLE].values()):
        steps.append(NextStep("dashboard-member", "add your members: who is in the team (step 1)"))
    if not index[Kind.GROUPS]:
        steps.append(NextStep("new", "add a group you could ally with (step 2)"))
        steps.append(NextStep("dashboard-import", "or import a spreadsheet of groups"))
    return steps
