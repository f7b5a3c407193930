"""Social media posts: every hashtag starts with « # » and holds no space (the model often
gives bare words, and the CSV export takes the data as it is); the link the agent gave is in
every variant (appended when the model left it out); two variants of a network that say the
same thing word for word are pointed out to the agent (two proposals were asked); one entry per
network asked (the small model may give a network twice, or one that was not asked). Each
variant carries its length as the network counts it (`caracteres`): X counts every link as 23
characters, whatever its length, so an appended link does not make a post « trop long ».
A network given the very texts of an earlier one (the small model often copies them for all
four networks, sometimes with other hashtags) keeps them in the data, marked `comme` that
network, and the draft shows them once: its section gives only their hashtags and lengths."""

from __future__ import annotations

import re
from typing import Any

from civia.assistants import repetition

X_LINK = 23  # X shortens every link (t.co) and counts it as 23 characters
LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
TAG = re.compile(r"#\w[\w-]*")
TRAILING = re.compile(rf"(?:\s+(?:{TAG.pattern}|{LINK.pattern}))+\s*$", re.IGNORECASE)


def hashtags(tag: str) -> list[str]:
    """« marché de Noël » → [« #marchédeNoël »]; « #Noël #Marché » → [« #Noël », « #Marché »]
    (several tags in one string); « #Noël » unchanged; "" gives none."""
    text = str(tag).strip()
    if "#" in text.lstrip("#"):  # several tags: each « # » starts one, its words joined
        parts = ("".join(p.split()) for p in text.split("#"))
        return [f"#{p}" for p in parts if p]
    word = "".join(text.split()).lstrip("#")
    return [f"#{word}"] if word else []


def _bare(link: str) -> str:
    """A link as the model may shorten it: no scheme, no « www. », no final slash."""
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", link.strip().lower()).rstrip("/")


def length_on(network: str, text: str, link: str = "") -> int:
    """The length of a post as `network` counts it: X counts each link (one with a scheme or
    « www. », or the agent's `link` in any form the model wrote it) as X_LINK characters; the
    others count every character."""
    if network.strip().lower() != "x":
        return len(text)
    short = LINK.sub("_" * X_LINK, text)
    for form in {link.strip(), _bare(link)} - {""}:  # « demoville.fr/emplois » is a link on X
        short = re.sub(re.escape(form), "_" * X_LINK, short, flags=re.IGNORECASE)
    return len(short)


def _ending_tags(text: str) -> tuple[str, list[str]]:
    """The text without the hashtags it ends with, and those hashtags: the small model often
    writes them in the text as well as in their field (« … costumes ! #Carnaval #Écoles
    #Carnaval #Écoles »), and the draft adds the field's after the text. Links among them stay
    at the end of the text; a hashtag within a sentence (« au #MarchéDeNoël samedi ») stays."""
    ending = TRAILING.search(text)
    if ending is None or "#" not in ending.group():
        return text, []
    links = LINK.findall(ending.group())
    kept = " ".join([text[: ending.start()].rstrip(), *links]).strip()
    return kept, TAG.findall(ending.group())


def _one_per_network(publications: list[Any], asked: str) -> list[Any]:
    """The first publication of each network asked, in the model's order; every network when
    none of them was asked (nothing to choose from)."""
    wanted = {n.strip().lower() for n in asked.split(",") if n.strip()}
    seen: set[str] = set()
    kept = []
    for publication in publications:
        network = str(publication.get("reseau", "")).strip().lower()
        if network in seen or (wanted and network not in wanted):
            continue
        seen.add(network)
        kept.append(publication)
    return kept or publications[:1]


def finish(
    data: dict[str, Any], values: dict[str, str], context: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    link = values.get("lien", "").strip()
    publications: list[dict[str, Any]] = []
    fixed_tags = linked = 0
    same: list[str] = []
    first_with: dict[tuple[Any, ...], str] = {}  # texts → the first network given them
    copied: dict[str, list[str]] = {}  # first network → the networks given its texts
    given = list(data.get("publications") or [])
    kept = _one_per_network(given, values.get("reseaux", ""))
    for publication in kept:
        variants = []
        for variant in publication.get("variantes") or []:
            tags = [str(t) for t in variant.get("hashtags") or []]
            fixed_tags += any(not t.strip().startswith("#") or " " in t.strip() for t in tags)
            text, ending = _ending_tags(str(variant.get("texte", "")).rstrip())
            clean = list(dict.fromkeys([*(h for t in tags for h in hashtags(t)), *ending]))
            if link and not re.search(  # « demoville.fr/emplois » counts, « …/emplois2 » not
                re.escape(_bare(link)) + r"(?![\w/-])", text.lower()
            ):
                text, linked = f"{text} {link}".strip(), linked + 1
            post = f"{text} {' '.join(clean)}".strip()  # as the template shows it
            count = length_on(str(publication.get("reseau", "")), post, link)
            variants.append({**variant, "texte": text, "hashtags": clean, "caracteres": count})
        network = str(publication.get("reseau", ""))
        texts = [repetition.words(v["texte"]) for v in variants]
        if len(texts) > 1 and len(set(texts)) < len(texts):
            same.append(network)
        first = first_with.setdefault(tuple(texts), network) if variants else network
        if first != network:
            copied.setdefault(first, []).append(network)
            publication = {**publication, "comme": first}
        publications.append({**publication, "variantes": variants})
    notes = []
    if len(kept) < len(given):
        notes.append(
            f"{len(given) - len(kept)} publication(s) retirée(s) : réseau non demandé ou "
            "proposé deux fois (la première proposition de chaque réseau est gardée)."
        )
    if fixed_tags:
        notes.append("Mots-dièse complétés par « # » (sans espace) : relisez-les.")
    if linked:
        notes.append(f"Lien « {link} » ajouté à {linked} variante(s) qui ne le donnai(en)t pas.")
    if same:
        notes.append(
            f"Les deux variantes proposées pour {', '.join(same)} sont identiques : "
            "relancez pour une autre proposition, ou écrivez-la."
        )
    for first, networks in copied.items():
        notes.append(
            f"Mêmes textes pour {', '.join(networks)} que pour {first} : donnés une fois. "
            "Relancez pour des textes propres à chaque réseau."
        )
    return {**data, "publications": publications}, notes
