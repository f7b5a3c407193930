"""What the public assistant refuses before any search or model call, and the masking of the
personal data a citizen types. Both run on the question alone, deterministically: a refusal
never depends on what a small model makes of a question.

Refusal categories (each with its French explanation and the path to a human):
- individual decisions: the state or outcome of the citizen's own file, their own rights;
- legal advice: disputes, lawsuits, complaints, whether something is legal;
- hateful or insulting content.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from civia.privacy.engine import detect
from civia.privacy.entities import LABELS, EntityType
from civia.privacy.summary import entity_counts

# Dates alone identify nobody and are what questions about opening hours and events are made of.
MASKED_TYPES = tuple(t for t in EntityType if t is not EntityType.DATE)


def fold(text: str) -> str:
    """Lower case without accents, apostrophes straightened, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


@dataclass(frozen=True)
class Category:
    code: str
    label: str  # French, for pilotage and tests
    explanation: str  # French, shown to the citizen
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, folded: str) -> bool:
        return any(p.search(folded) for p in self.patterns)


def _p(*expressions: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(e) for e in expressions)


INDIVIDUAL = Category(
    "decision_individuelle",
    "Décision individuelle",
    "Je ne peux pas me prononcer sur une situation personnelle ni sur une décision "
    "individuelle (un dossier, une demande, un droit) : seul un agent de la collectivité peut "
    "examiner votre cas.",
    _p(
        r"\b(mon|ma|mes|notre|nos) (dossier|demande|candidature|permis|declaration|situation"
        r"|cas|allocation|aide|inscription|amende|contravention|facture|place)s?\b.{0,60}"
        r"\b(accept|refus|valid|accord|rejet|instrui|trait|avanc|en cours|ou en est|annul"
        r"|obten|reponse|statut|etat)",
        r"\bou en est (mon|ma|mes|notre)\b",
        r"\bpourquoi (mon|ma|mes|notre|on m'a|m'a-t-on|ai-je)\b.{0,40}\b(refus|rejet|annul|"
        r"sanction|amende)",
        r"\b(ai-je|est-ce que j'ai|j'ai|aurai-je|avons-nous) (bien )?(le )?droit (a|au|aux)\b",
        r"\b(suis-je|est-ce que je suis|serai-je|je suis) (eligible|prioritaire|admissible)",
        r"\b(vais-je|vont-ils|va-t-on|allez-vous|est-ce que je vais|est-ce que vous allez) "
        r"(obtenir|avoir|recevoir|m'accorder|accepter|refuser|valider)",
        r"\b(acceptez|accepterez|accorderez|validerez)-vous (mon|ma|mes|notre)\b",
    ),
)
LEGAL = Category(
    "conseil_juridique",
    "Conseil juridique",
    "Je ne donne pas de conseil juridique (litige, recours, plainte, procès) : pour votre "
    "situation, adressez-vous à un agent, à un avocat ou à un point-justice (accès au droit "
    "gratuit).",
    _p(
        r"\bavocats?\b",
        r"\bporter plainte\b|\bdeposer (une )?plainte\b|\bplainte contre\b",
        r"\b(attaquer|poursuivre|assigner)\b.{0,40}\b(justice|tribunal|mairie|commune|voisin)",
        r"\ben justice\b|\btribunal\b|\bproces\b|\bcontentieux\b|\bjuridique",
        r"\blitige\b|\bprud'?hom",
        r"\b(est-ce|c'est|est-il|serait-ce) (bien )?(legal|illegal|licite|illicite)",
        r"\b(recours|plainte) contre\b",
        r"\bmon (voisin|proprietaire|locataire|employeur|ex-conjoint)\b.{0,80}\b(droit|obliger"
        r"|forcer|interdire|responsable|payer|rembourser)",
        r"\b(divorce|heritage|succession|pension alimentaire)\b",
    ),
)
_SLURS = (
    r"connard|connasse|salope|salaud|encule|enfoire|batard|pute|putain de|nique|ntm|fdp"
    r"|bougnoule|negre|youpin|bicot|pede|tapette|gouine|raton|chintok|sous-homme|vermine"
    r"|ta gueule|ferme(z)? (ta|votre) gueule|abruti|debile|cretin|imbecile|idiot"
)
HATEFUL = Category(
    "contenu_haineux",
    "Contenu haineux ou injurieux",
    "Je ne réponds pas aux messages injurieux ou haineux. Si vous avez une question sur les "
    "services de la collectivité, reformulez-la ; vous pouvez aussi écrire à un agent.",
    _p(
        rf"\b({_SLURS})s?\b",
        r"\bsales? (arabes?|juifs?|noirs?|blancs?|musulmans?|chretiens?|etrangers?|immigres?"
        r"|roms?|gitans?|homos?|femmes?)\b",
        r"\bmort aux\b",
        r"\b(il faut|faut|on devrait) (tuer|exterminer|bruler|gazer|virer|expulser) (les|tous)",
        r"\b(je vais|on va) (vous |te )?(tuer|buter|frapper|bruler)",
    ),
)
CATEGORIES = (HATEFUL, LEGAL, INDIVIDUAL)  # the first that matches is given


def refusal(question: str) -> Category | None:
    """The category the question falls in, or None when the assistant may look for an answer."""
    folded = fold(question)
    return next((c for c in CATEGORIES if c.matches(folded)), None)


@dataclass(frozen=True)
class Masked:
    text: str
    counts: dict[str, int]  # per type, never values


def mask(text: str) -> Masked:
    """`text` with every personal data but dates replaced by its type (« [TELEPHONE] »), with
    the privacy area's engine. Raises `PiiEngineUnavailable` when the engine cannot run: the
    caller refuses the question rather than pass it on unmasked."""
    entities = detect(text, types=MASKED_TYPES)
    out, last = [], 0
    for entity in entities:
        out.append(text[last : entity.start])
        out.append(f"[{LABELS[entity.type]}]")
        last = entity.end
    out.append(text[last:])
    return Masked("".join(out), entity_counts(entities))
