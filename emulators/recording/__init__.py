"""Recording: journals and vendor traffic turned into portable scenarios, and parity against them.

- `record`     -- a running emulator's journal -> a scenario (`emulators record`, `requests?format=scenario`)
- `proxy`      -- `RecordingProxy`: the recording reverse proxy (`emulators proxy`)
- `portable`   -- the portability rules: redaction, `${credentials.<name>}`, loosened clocks and ids
- `parity`     -- replay a vendor recording and report where the emulator differs (`emulators parity`)
- `har_import` -- a HAR 1.2 file -> a scenario (`emulators import har`)
- `postman`    -- a Postman collection of an API's contract (`emulators export postman`)
- `cli`        -- the commands above
"""
