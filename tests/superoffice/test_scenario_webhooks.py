"""`expect_webhook:` in scenario files: a request step expects a delivery (event, body fields, signature)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulators.scenarios.runner import Runner, ScenarioResult
from emulators.scenarios.scenario import ScenarioError, parse
from emulators.testing.webhooks import WebhookReceiver

HEAD = """name: webhooks
emulator: superoffice
vars:
  auth: "Basic dGplMDpUamUw"
steps:
  - request:
      method: POST
      path: /api/v1/Webhook
      headers: {Authorization: "${auth}"}
      json: {Name: Watch, Events: [project.changed], TargetUrl: "URL", Secret: "s3cret"}
    expect: {status: 200}
  - request:
      method: POST
      path: /api/v1/Project
      headers: {Authorization: "${auth}"}
      json: {Name: Watched}
    capture: {pid: $.ProjectId}
  - name: rename
    request:
      method: PUT
      path: /api/v1/Project/${pid}
      headers: {Authorization: "${auth}"}
      json: {Name: Renamed}
"""


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    r = WebhookReceiver()
    yield r
    r.close()


def run(receiver: WebhookReceiver, expect_webhook: str) -> tuple[ScenarioResult, list[str]]:
    text = HEAD.replace("URL", receiver.url) + expect_webhook
    lines: list[str] = []
    return Runner(out=lines.append).run(parse(text, "s.yaml")), lines


def test_expect_webhook_matches_event_fields_and_signature(receiver: WebhookReceiver) -> None:
    result, lines = run(
        receiver,
        "    expect_webhook:\n      event: project.changed\n      secret: s3cret\n"
        "      fields: {Event: project.changed, PrimaryKey: '${pid}', WebhookName: Watch,"
        " Changes: {$contains: name}}\n",
    )
    assert result.ok, "\n".join(lines)
    assert receiver.received("project.changed")


def test_expect_webhook_wrong_secret_fails_the_step(receiver: WebhookReceiver) -> None:
    result, _ = run(receiver, "    expect_webhook: {event: project.changed, secret: other}\n")
    step = result.steps[-1]
    assert step.outcome == "failed"
    assert (
        step.message == "a project.changed webhook delivery was sent, but:"
        " the project.changed delivery's signature does not match the secret"
    )


def test_expect_webhook_field_mismatch_names_the_field(receiver: WebhookReceiver) -> None:
    result, _ = run(receiver, "    expect_webhook: {event: project.changed, fields: {WebhookName: Other}}\n")
    step = result.steps[-1]
    assert step.outcome == "failed"
    assert (
        step.message
        == 'a project.changed webhook delivery was sent, but: $body.WebhookName: expected "Other", got "Watch"'
    )


def test_expect_webhook_unsubscribed_event_not_sent(receiver: WebhookReceiver) -> None:
    result, _ = run(receiver, "    expect_webhook: {event: project.deleted, within: 0.3}\n")
    step = result.steps[-1]
    assert (step.outcome, step.message) == (
        "failed",
        "expected a project.deleted webhook delivery within 0.3 s, none was sent",
    )


@pytest.mark.parametrize(
    ("snippet", "problem"),
    [
        ("    expect_webhook: {fields: {}}\n", "steps[2].expect_webhook: 'event' is a required property"),
        (
            "    expect_webhook: {event: x, signature: s}\n",
            "steps[2].expect_webhook.signature: unknown field 'signature'; allowed: event, fields, secret, within",
        ),
        (
            "    expect_webhook: {event: x, within: 0}\n",
            "steps[2].expect_webhook.within: 0 is less than or equal to the minimum of 0",
        ),
    ],
)
def test_expect_webhook_invalid_is_one_line(snippet: str, problem: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse(HEAD + snippet, "s.yaml")
    assert [p.split(": ", 1)[1] for p in info.value.problems] == [problem]
    assert all("\n" not in p for p in info.value.problems)


def test_expect_webhook_outside_a_request_step_refused() -> None:
    with pytest.raises(ScenarioError) as info:
        parse(HEAD + "  - clock: {advance: 1}\n    expect_webhook: {event: x}\n", "s.yaml")
    assert any("expect_webhook belong to a request step" in p for p in info.value.problems), info.value.problems
