"""Model Markdown shown in pages: line breaks kept, raw HTML never trusted."""

from civia.web.markdown import render


def test_a_line_break_is_kept_as_the_exports_keep_it() -> None:
    html = render("La médiathèque sera fermée.\nNous faisons des travaux.\n\nMerci.")
    assert (
        html == "<p>La médiathèque sera fermée.<br>\nNous faisons des travaux.</p>\n<p>Merci.</p>\n"
    )


def test_raw_html_is_escaped() -> None:
    assert "<script" not in render("Bonjour <script>alert(1)</script>")
