"""Deterministic checks of the body a small model wrote, each one repairing what it safely can
and saying what it did: a salutation or a closing formula inside the body, a signature or an
« Objet : » line, sentences and paragraphs repeated, sentences written as the recipient."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A salutation opening a paragraph (« Madame, », « Bonjour Monsieur Martin, »).
GREETING = re.compile(
    r"^\s*(?:bonjour|madame|monsieur|mesdames|messieurs|cher|chère)\b[^.!?\n]{0,60}?[,!]\s*",
    re.I,
)
CLOSING = re.compile(
    r"\b(?:agréer|agréez|salutations|(?:ma|notre)\s+(?:haute\s+|parfaite\s+)?considération|"
    r"considération\s+distinguée|cordialement|sentiments\s+(?:les\s+)?"
    r"(?:meilleurs|distingués|dévoués|respectueux)|veuillez\s+recevoir|recevez,|"
    r"l'expression\s+de\s+(?:mes|nos|ma|notre))",
    re.I,
)
FRAME = re.compile(r"^\s*(?:objet\s*:|nos\s+références|signature\b|p\.\s?j\.)", re.I)
# Introducing oneself (« Je suis M. Jeanne Martin, gérante… »): only the recipient would.
SELF_INTRO = re.compile(
    r"\b(?:je\s+m'appelle|je\s+me\s+présente|je\s+suis\s+(?:m\.|mme\b|madame|monsieur|"
    r"mademoiselle|(?:le|la|l')\s*(?:gérante?|propriétaire|président|présidente|directeur|"
    r"directrice|responsable|locataire|habitante?)|(?:gérante?|propriétaire|habitante?|"
    r"locataire|résidente?)\b))",
    re.I,
)
# The requester's acts and belongings, or what a requester writes to the town hall.
AS_RECIPIENT = re.compile(
    r"\b(?:je\s+sollicite|je\s+souhaiterais|"
    r"j'ai\s+(?:déposé|sollicité|signalé|l'honneur\s+de\s+(?:solliciter|demander))|"
    r"(?:ma|mon|mes)\s+(?:demande|dossier|requête|candidature|propriété|terrain|"
    r"signalement|réclamation|café|commerce|terrasse|entreprise|association)|"
    r"dans\s+l'attente\s+de\s+votre\s+(?:réponse|décision)|"
    r"votre\s+(?:réponse|décision)\s+favorable)",
    re.I,
)
TO_REVIEW = " [à revoir : écrit comme si le destinataire parlait]"
# A sentence ends at . ! ? … before a capital, but not after « M. », « MM. », « Mme. », « St. ».
SENTENCE = re.compile(
    r"(?<!\bM\.)(?<!\bMM\.)(?<!\bMme\.)(?<!\bSt\.)(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ«\"(\d])"
)


@dataclass
class Cleaned:
    paragraphs: list[str]
    notes: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _key(text: str) -> str:
    return " ".join(_words(text))


def _near_copy(words: list[str], seen: list[set[str]]) -> bool:
    """At least 80 % of a paragraph's words already make up an earlier paragraph."""
    if len(words) < 6:
        return False
    mine = set(words)
    return any(len(mine & other) >= 0.8 * len(mine) for other in seen)


def _is_signature(text: str, signatures: list[str]) -> bool:
    """A short line that only names the sender (« La commune de Démoville », « Le Maire »)."""
    key = _key(text)
    if not key or len(key.split()) > 8:
        return False
    names = {_key(s) for s in signatures if s.strip()} | {"le maire", "la mairie"}
    return any(key in (n, f"la {n}", f"le {n}") for n in names if n)


def clean(paragraphs: list[str], signatures: list[str] | tuple[str, ...] = ()) -> Cleaned:
    """`signatures`: how the sender may sign (the collectivité's name, the signatory)."""
    out = Cleaned([])
    removed: dict[str, int] = {}

    def drop(reason: str) -> None:
        removed[reason] = removed.get(reason, 0) + 1

    seen_sentences: set[str] = set()
    seen_starts: set[str] = set()
    seen_paragraphs: list[set[str]] = []
    for raw in paragraphs:
        text = raw.strip()
        greeting = GREETING.match(text)
        if greeting:
            text = text[greeting.end() :].strip()
            drop("formule d'appel retirée du corps")
        kept: list[str] = []
        for sentence in SENTENCE.split(text):
            sentence = sentence.strip()
            if not sentence:
                continue
            words = _words(sentence)
            if CLOSING.search(sentence):
                drop("formule de politesse retirée du corps")
                continue
            if FRAME.match(sentence) or _is_signature(sentence, list(signatures)):
                drop("ligne d'objet, de références ou de signature retirée du corps")
                continue
            if SELF_INTRO.search(sentence):
                drop("phrase écrite au nom du destinataire retirée")
                continue
            key, start = _key(sentence), " ".join(words[:6])
            if key in seen_sentences or (len(words) >= 5 and start in seen_starts):
                drop("phrase répétée retirée")
                continue
            seen_sentences.add(key)
            if len(words) >= 5:
                seen_starts.add(start)
            if AS_RECIPIENT.search(sentence):
                out.notes.append(
                    f"Phrase à revoir, écrite comme si le destinataire parlait : « {sentence} »"
                )
                sentence += TO_REVIEW
            kept.append(sentence)
        if not kept:
            continue
        paragraph = " ".join(kept)
        words = _words(paragraph)
        if _near_copy(words, seen_paragraphs):
            drop("paragraphe répété retiré")
            continue
        seen_paragraphs.append(set(words))
        out.paragraphs.append(paragraph)
    out.notes[:0] = [
        f"{reason.capitalize()}{f' ({n} fois)' if n > 1 else ''}." for reason, n in removed.items()
    ]
    if not out.paragraphs:  # never hand back an empty letter: keep the model's text, flagged
        out.paragraphs = [p.strip() for p in paragraphs if p.strip()]
        out.notes.append("Le corps n'a pas pu être nettoyé : relisez-le entièrement.")
    return out
