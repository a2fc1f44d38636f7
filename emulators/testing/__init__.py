"""Test helpers for CI and QA: the pytest harness and its transports.

- `harness`   -- `Emulator` (the fixture object: .client .aclient .base_url .credentials .state .journal .faults
                 .clock)
                 and `in_process(api)`
- `live`      -- `LiveServer`: a real uvicorn server on a free 127.0.0.1 port, in a background thread
- `plugin`    -- the pytest plugin (entry point `pytest11`): `<api>_emulator`, `<api>_server`, markers
- `collect`   -- pytest collects `*.scenario.yaml` files, one item per step (run by emulators.scenarios)
- `measure`   -- `reset_and_request_median_ms` for `make bench`
- `transport` -- `SyncASGITransport` / `client_for`: a sync httpx.Client driving an ASGI app in-process (also
                 inside a running event loop); `async_client_for`: the httpx.AsyncClient counterpart

Scenarios (format, runner, matching, JUnit, replay) live in emulators.scenarios; recording (record, proxy,
portable, parity, HAR, Postman) in emulators.recording. The modules named after them here re-export them,
so `emulators.testing.scenario`, `.runner`, `.proxy`, ... keep working.
"""
