from civia.assistants.markdown_blocks import to_blocks


def test_markdown_becomes_blocks() -> None:
    blocks = to_blocks(
        "# Arrêté\n\n**Article 1** – La rue est fermée.\n\n**Tout en gras**\n\n- un\n- deux\n\n"
        "| A | B |\n|---|---|\n| x<br>y | 2 |\n\n> Notes : parler lentement\n"
    )
    kinds = [b.kind for b in blocks]
    assert kinds == ["heading", "paragraph", "paragraph", "bullets", "table", "notes"]
    assert blocks[1].text == "Article 1 – La rue est fermée." and not blocks[1].bold
    assert blocks[2].bold
    assert blocks[4].rows == [["x\ny", "2"]]
    assert blocks[5].text == "parler lentement"


def test_diff_shows_every_change() -> None:
    from civia.assistants.runs import changes, diff_html

    html = diff_html("Les enfant sont partit.", "Les enfants sont partis.")
    assert (
        "<del>enfant</del><ins>enfants</ins>" in html
        and "<del>partit.</del><ins>partis.</ins>" in html
    )
    assert changes("Les enfant sont partit.", "Les enfants sont partis.") == 2
