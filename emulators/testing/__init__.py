"""Test helpers: a synchronous in-process httpx transport, the pytest plugin and the scenario runner."""
