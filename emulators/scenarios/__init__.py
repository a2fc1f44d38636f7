"""YAML scenarios: the format, the runner, expectations and the replay CLI.

- `scenario` -- the format: `load(path)` / `parse(text)`, the JSON Schema, `load_data_file`
- `runner`   -- `Runner` (in-process or against a base URL; `step_hook` wraps each request step),
                `assert_scenario`, `ScenarioResult` / `StepResult`
- `checks`   -- a step's `expect:` against a response (status, headers, body, schema, captures)
- `matching` -- `${var}` substitution, JSON-subset matching with matchers (`$date`, `$type`, ...), diffs
- `junit`    -- JUnit XML of scenario results
- `cli`      -- `emulators replay`
"""
