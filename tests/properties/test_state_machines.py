"""One RuleBasedStateMachine per registered API over its project resource (each in tests/<api>/shared.py, base in
kit.py): create / read / update / list / delete where the API has them, and token issue + expiry driven by the
emulator clock."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from .conftest import BUDGET, PROFILE_SETTINGS
from .recipes import APIS, MACHINES


@pytest.mark.parametrize("api", APIS)
def test_state_machine(api: str) -> None:
    run_state_machine_as_test(
        MACHINES[api],
        settings=settings(
            PROFILE_SETTINGS, max_examples=BUDGET["machine"], stateful_step_count=BUDGET["machine_steps"]
        ),
    )
