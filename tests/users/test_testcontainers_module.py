"""What `EmulatorContainer` checks before it reaches a container engine (podman runs are in tests/deploy)."""

from __future__ import annotations

import pytest

pytest.importorskip("testcontainers", reason="make test-container installs testcontainers")


def test_emulator_container_unknown_api_is_one_line() -> None:
    from emulators.testcontainers import EmulatorContainer

    with pytest.raises(ValueError, match=r"^unknown emulator 'bousoft'; did you mean `bouwsoft`\?"):
        EmulatorContainer("bousoft")
