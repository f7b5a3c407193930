"""Référent-written templates render within limits, off the event loop."""

from __future__ import annotations

import asyncio

import pytest

from civia.assistants import templating
from civia.assistants.spec import JINJA

HOSTILE = {
    "nested loops": "{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}",
    "big range": "{% for i in range(10**8) %}{% endfor %}",
    "big power": "{{ 2 ** 100000000 }}",
    "chained powers": "{{ 2 ** 64 ** 64 ** 64 ** 64 ** 64 }}",  # left-associative in Jinja
    "string bomb": "{{ 'x' * 10 ** 9 }}",
    "list bomb": "{{ ([0] * 100000) * 100000 }}",
    "wide filter": "{{ 'x' | center(1000000000) }}",
    "wide format": "{{ '{:>999999999}'.format(1) }}",
    "long output": "{% for i in range(9999) %}{{ 'abcdefghij' * 100 }}{% endfor %}",
    "namespace doubling": (
        "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s | length }}"
    ),
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_templates_stop_quickly_with_a_french_message(source: str) -> None:
    with pytest.raises(templating.TemplateLimitError) as err:
        templating.render(JINJA, source)
    assert "gabarit" in err.value.message_fr


def test_ordinary_templates_still_render() -> None:
    source = (
        "{% for p in points %}- {{ p | upper }}\n{% endfor %}{{ n * 2 }} {{ 2 ** 10 }} "
        "{{ '-' * 20 }} {{ '{:>5}'.format(n) }} {{ context.city | default('') | center(12) }}"
    )
    out = templating.render(JINJA, source, points=["a", "b"], n=21, context={"city": "Ville"})
    assert out.startswith("- A\n- B\n42 1024 --------------------    21")
    assert "Ville" in out


def test_rendering_does_not_block_the_event_loop() -> None:
    async def main() -> int:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        with pytest.raises(templating.TemplateLimitError):
            await templating.render_async(JINJA, HOSTILE["nested loops"])
        task.cancel()
        return ticks

    assert asyncio.run(main()) >= 20  # the loop kept running during ~2 s of rendering


def test_an_assistant_prompt_goes_through_the_limits() -> None:
    from civia.assistants.runner import build_messages
    from civia.assistants.spec import AssistantSpec
    from tests.assistants.test_spec import BASE

    spec = AssistantSpec.model_validate(
        {**BASE, "prompt": "{{ texte }}{% for i in range(10**8) %}{% endfor %}"}
    )
    with pytest.raises(templating.TemplateLimitError):
        build_messages(spec, {"texte": "Bonjour"}, {})
    ok = AssistantSpec.model_validate(BASE)
    assert build_messages(ok, {"texte": "Bonjour"}, {})[1].content == "Bonjour"


def test_a_string_doubled_in_a_namespace_is_stopped_by_its_size() -> None:
    with pytest.raises(templating.TemplateLimitError) as err:
        templating.render(JINJA, HOSTILE["namespace doubling"])
    assert "namespace" in str(err.value)
