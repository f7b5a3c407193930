"""Reading SSE streams in tests."""

import json

from fastapi.testclient import TestClient


def events(text: str) -> list[tuple[str, dict[str, str]]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            out.append((lines["event"], json.loads(lines["data"])))
    return out


def send(
    client: TestClient, headers: dict[str, str], content: str, conversation: int | None = None
):
    url = f"/conversations/{conversation}/messages" if conversation else "/conversations"
    return client.post(url, data={"content": content, "assistant": "chat"}, headers=headers)


def done(client: TestClient, stream_url: str) -> dict[str, str]:
    evs = events(client.get(stream_url).text)
    assert evs and evs[-1][0] == "done", evs
    return evs[-1][1]
