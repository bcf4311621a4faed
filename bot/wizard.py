"""One small helper for questions asked one after another (log a call: date, agent, badge...).

The form lives in the FSM data under its own key, so it survives restarts with the Redis storage:
which steps, which one is open, the answers so far, and whatever the form is about (``about``).
Handlers ask ``current``, then ``answer`` or ``skip``; both return the step to ask next, or None when
the form is complete (``finish`` then hands back the answers and closes it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State


@dataclass
class Form:
    steps: list[str]
    about: dict[str, Any]
    at: int = 0
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def step(self) -> str:
        return self.steps[self.at]


@dataclass(frozen=True)
class Wizard:
    key: str  # the FSM data key
    state: State  # the FSM state while a question is open

    async def start(self, fsm: FSMContext, steps: list[str], **about: Any) -> Form:
        form = Form(list(steps), about)
        await self._keep(fsm, form)
        return form

    async def current(self, fsm: FSMContext) -> Form | None:
        """The open form, or None (expired, finished, or another question replaced it)."""
        raw = (await fsm.get_data()).get(self.key)
        if not raw or await fsm.get_state() != self.state.state:
            return None
        return Form(**raw)

    async def answer(self, fsm: FSMContext, form: Form, value: str) -> str | None:
        form.answers[form.step] = value
        return await self.skip(fsm, form)

    async def skip(self, fsm: FSMContext, form: Form) -> str | None:
        form.at += 1
        if form.at >= len(form.steps):
            return None
        await self._keep(fsm, form)
        return form.step

    async def finish(self, fsm: FSMContext) -> None:
        await fsm.set_state(None)
        await fsm.update_data({self.key: None})

    async def _keep(self, fsm: FSMContext, form: Form) -> None:
        await fsm.update_data({self.key: asdict(form)})
        await fsm.set_state(self.state)
