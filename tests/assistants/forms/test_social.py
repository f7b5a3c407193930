"""Social media posts: hashtags with « # », the agent's link in every variant, two identical
variants pointed out."""

from civia.assistants.catalogue import get
from civia.assistants.forms import social
from civia.assistants.runner import render_markdown

CHRISTMAS = {  # dev input 1 of the bench (« Le marché de Noël ouvre samedi… », X)
    "publications": [
        {
            "reseau": "X",
            "variantes": [
                {
                    "texte": "Noël ouvre samedi : place de la Mairie, 10h à 19h",
                    "hashtags": ["Noël", "mairie"],
                },
                {
                    "texte": "Place de la Mairie, 10h à 19h",
                    "hashtags": ["#Noël", "marché de Noël", " "],
                },
            ],
        }
    ]
}
JOBS = {  # dev input 3 (« La commune recrute un animateur… », LinkedIn, with a link)
    "publications": [
        {
            "reseau": "LinkedIn",
            "variantes": [
                {
                    "texte": "Recrutement : animateur (CDD de 6 mois). https://www.demoville.fr/emplois",
                    "hashtags": [],
                },
                {
                    "texte": "Rejoignez le centre de loisirs. Candidatures jusqu'au 30 avril.",
                    "hashtags": ["recrutement"],
                },
            ],
        }
    ]
}
LINK = "https://www.demoville.fr/emplois"


def test_every_hashtag_starts_with_a_hash_and_has_no_space() -> None:
    data, notes = social.finish(CHRISTMAS, {"reseaux": "X", "lien": ""}, {})
    first, second = data["publications"][0]["variantes"]
    assert first["hashtags"] == ["#Noël", "#mairie"]
    assert second["hashtags"] == ["#Noël", "#marchédeNoël"]
    assert first["texte"] == CHRISTMAS["publications"][0]["variantes"][0]["texte"]
    assert notes == ["Mots-dièse complétés par « # » (sans espace) : relisez-les."]


def test_the_link_given_is_appended_where_the_model_left_it_out() -> None:
    data, notes = social.finish(JOBS, {"reseaux": "LinkedIn", "lien": LINK}, {})
    first, second = data["publications"][0]["variantes"]
    assert first["texte"].count(LINK) == 1
    assert (
        second["texte"] == f"Rejoignez le centre de loisirs. Candidatures jusqu'au 30 avril. {LINK}"
    )
    assert second["hashtags"] == ["#recrutement"]
    assert notes == [
        "Mots-dièse complétés par « # » (sans espace) : relisez-les.",
        f"Lien « {LINK} » ajouté à 1 variante(s) qui ne le donnai(en)t pas.",
    ]


def test_two_identical_variants_are_pointed_out() -> None:
    same = {"texte": "Travaux rue Victor Hugo du 10 au 21 mars.", "hashtags": ["#travaux"]}
    data = {
        "publications": [
            {"reseau": "X", "variantes": [same, {**same, "texte": same["texte"].upper()}]}
        ]
    }
    _, notes = social.finish(data, {"lien": ""}, {})
    assert notes == [
        "Les deux variantes proposées pour X sont identiques : relancez pour une autre "
        "proposition, ou écrivez-la."
    ]
    assert social.finish(CHRISTMAS, {"lien": ""}, {})[1][-1].startswith("Mots-dièse")


def test_several_tags_in_one_string_and_a_shortened_link() -> None:
    """Review cases: « #Noël #Marché » is two tags, not « #Noël#Marché »; a tag only repeated is
    not « completed »; the link written without « https://www. » is not appended again."""
    assert social.hashtags("#Noël #Marché") == ["#Noël", "#Marché"]
    assert social.hashtags("Fête de la musique #Paris2025") == ["#Fêtedelamusique", "#Paris2025"]
    assert social.hashtags("#Noël#Marché") == ["#Noël", "#Marché"]
    post = {"texte": "Candidatez sur demoville.fr/emplois", "hashtags": ["#emploi", "#emploi"]}
    data = {"publications": [{"reseau": "X", "variantes": [post]}]}
    out, notes = social.finish(data, {"lien": LINK}, {})
    expected = {**post, "hashtags": ["#emploi"], "caracteres": len("Candidatez sur  #emploi") + 23}
    assert out["publications"][0]["variantes"][0] == expected
    assert notes == []


def test_a_longer_link_does_not_stand_for_the_one_given() -> None:
    post = {"texte": "Tout le programme : demoville.fr/emplois2", "hashtags": []}
    data = {"publications": [{"reseau": "X", "variantes": [post]}]}
    out, _ = social.finish(data, {"lien": LINK}, {})
    assert out["publications"][0]["variantes"][0]["texte"].endswith(f"emplois2 {LINK}")


def test_one_publication_per_network_asked() -> None:
    """The small model gave LinkedIn twice for a LinkedIn post, or a network not asked: the
    first publication of each network asked is kept, and the agent is told."""
    twice = {"publications": [JOBS["publications"][0], JOBS["publications"][0]]}
    data, notes = social.finish(twice, {"message": "…", "reseaux": "LinkedIn", "lien": LINK}, {})
    assert [p["reseau"] for p in data["publications"]] == ["LinkedIn"]
    assert any("1 publication(s) retirée(s)" in n for n in notes)
    mixed = {"publications": [CHRISTMAS["publications"][0], JOBS["publications"][0]]}
    data, _ = social.finish(mixed, {"message": "…", "reseaux": "Facebook, X"}, {})
    assert [p["reseau"] for p in data["publications"]] == ["X"]
    data, notes = social.finish(mixed, {"message": "…", "reseaux": "Facebook"}, {})
    assert [p["reseau"] for p in data["publications"]] == ["X"]  # nothing asked was given
    assert [p["reseau"] for p in social.finish(mixed, {"message": "…"}, {})[0]["publications"]] == [
        "X",
        "LinkedIn",
    ]


def test_x_counts_a_link_as_23_characters() -> None:
    """An appended link no longer makes an X post « trop long »: X counts any link as 23
    characters (t.co); the other networks count every character."""
    long_link = "https://www.demoville.fr/actualites/2026/12/marche-de-noel-programme-complet"
    text = "Le marché de Noël ouvre samedi place de la Mairie. " * 5 + long_link
    assert len(text) > 280
    assert social.length_on("X", text) == len(text) - len(long_link) + 23
    assert social.length_on("Facebook", text) == len(text)
    bare = "Programme : demoville.fr/noel"  # the agent gave it without a scheme
    assert social.length_on("X", bare, "demoville.fr/noel") == len("Programme : ") + 23
    assert social.length_on("X", "Sans lien.") == len("Sans lien.")


def test_the_rendered_count_is_the_networks_own() -> None:
    long_link = "https://www.demoville.fr/actualites/2026/12/marche-de-noel-programme-complet"
    body = "Le marché de Noël ouvre samedi 13 décembre, place de la Mairie, de 10 h à 19 h. " * 3
    post = {"texte": body.strip(), "hashtags": ["Noël"]}
    data = {"publications": [{"reseau": "X", "variantes": [post, post]}]}
    values = {"message": body, "reseaux": "X", "lien": long_link}
    out, _ = social.finish(data, values, {})
    variant = out["publications"][0]["variantes"][0]
    assert variant["texte"].endswith(long_link)  # appended: the model left it out
    full = f"{variant['texte']} #Noël"
    assert len(full) > 280 and variant["caracteres"] == len(full) - len(long_link) + 23 <= 280
    markdown = render_markdown(get("reseaux-sociaux"), out, values, {})
    assert f"*{variant['caracteres']} caractères sur 280 (un lien compte pour 23)*" in markdown
    assert "trop long" not in markdown
    over = {"texte": body * 2, "hashtags": []}
    out, _ = social.finish({"publications": [{"reseau": "X", "variantes": [over]}]}, values, {})
    markdown = render_markdown(get("reseaux-sociaux"), out, values, {})
    assert "**trop long, à raccourcir**" in markdown


def test_a_network_given_an_earlier_one_s_texts_is_shown_once() -> None:
    """The small model copied Facebook's two posts for X, LinkedIn and Instagram, Instagram
    with hashtags of its own (held-out inputs 11 and 19 of the bench): the data keeps every
    network's posts, the draft shows the copies' hashtags and lengths only."""
    post = {"texte": "Alerte : de faux agents se présentent au domicile.", "hashtags": []}
    other = {"texte": "Ne laissez entrer personne et appelez le 17.", "hashtags": ["#Alerte"]}
    tagged = {**post, "hashtags": ["#Alerte", "#Arnaque"]}
    given = {
        "publications": [
            {"reseau": "Facebook", "variantes": [post, other]},
            {"reseau": "X", "variantes": [post, other]},
            {"reseau": "LinkedIn", "variantes": [post, other]},
            {"reseau": "Instagram", "variantes": [tagged, other]},
        ]
    }
    values = {"message": "…", "reseaux": "Facebook, X, LinkedIn, Instagram", "lien": ""}
    data, notes = social.finish(given, values, {})
    assert [p.get("comme") for p in data["publications"]] == [None, *["Facebook"] * 3]
    assert data["publications"][3]["variantes"][0]["hashtags"] == ["#Alerte", "#Arnaque"]
    assert notes == [
        "Mêmes textes pour X, LinkedIn, Instagram que pour Facebook : donnés une fois. "
        "Relancez pour des textes propres à chaque réseau."
    ]
    markdown = render_markdown(get("reseaux-sociaux"), data, values, {})
    assert markdown.count(post["texte"]) == 1
    assert "## X : mêmes textes que Facebook\n- Variante 1 : 50 caractères sur 280\n" in markdown
    assert "- Variante 1, avec #Alerte #Arnaque : 67 caractères sur 2200\n" in markdown


def test_proposals_alike_only_in_part_are_shown_for_each_network() -> None:
    first = {"texte": "Le marché de Noël ouvre samedi place de la Mairie.", "hashtags": []}
    data, notes = social.finish(
        {
            "publications": [
                {"reseau": "Facebook", "variantes": [first, {"texte": "Venez !", "hashtags": []}]},
                {"reseau": "X", "variantes": [first, {"texte": "À samedi !", "hashtags": []}]},
            ]
        },
        {"message": "…", "reseaux": "Facebook, X", "lien": ""},
        {},
    )
    assert "comme" not in data["publications"][1] and notes == []


def test_hashtags_written_at_the_end_of_the_text_go_to_their_field() -> None:
    """Held-out réseaux sociaux 13 and 7: the model wrote the hashtags in the text (twice), and
    before the link; the draft showed them twice. A hashtag within a sentence stays."""
    carnival = {
        "texte": "Merci pour ces superbes costumes ! #Carnaval #Écoles #Carnaval #Écoles",
        "hashtags": ["#Carnaval", "#Écoles", "#Costumes"],
    }
    fair = {"texte": "Salon samedi ! #Auteurs #BD https://www.demoville.fr/salon", "hashtags": []}
    inline = {"texte": "Venez au #MarchéDeNoël samedi.", "hashtags": []}
    data, _ = social.finish(
        {"publications": [{"reseau": "Instagram", "variantes": [carnival, fair, inline]}]},
        {"message": "…", "reseaux": "Instagram", "lien": ""},
        {},
    )
    first, second, third = data["publications"][0]["variantes"]
    assert first["texte"] == "Merci pour ces superbes costumes !"
    assert first["hashtags"] == ["#Carnaval", "#Écoles", "#Costumes"]
    assert second["texte"] == "Salon samedi ! https://www.demoville.fr/salon"
    assert second["hashtags"] == ["#Auteurs", "#BD"]
    assert third == {**inline, "caracteres": len(inline["texte"])}
