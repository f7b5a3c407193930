"""Generate ``pii-fr.jsonl``: synthetic French administrative texts with exact PII offsets.

Run ``python tests/data/pii/make_pii_set.py`` (deterministic: same seed, same file).

Every person, address and number is synthetic; identifiers carry valid checksums computed
here independently of ``civia.privacy`` (NIR key, Luhn, IBAN mod 97). Texts are written in
an inline markup, ``[[TYPE:value]]``, turned into text + offsets by ``render``; ``verify``
checks every offset before writing.

Annotation conventions (the same as civia.privacy's):
- PERSON: given name(s) and/or surname, without the title ("Madame [[PERSON:Dupont]]");
  first names alone count ("son fils [[PERSON:Lucas]]"); form fields "Nom : DUPONT" and
  "Prénom : Jeanne" are two spans. Roles without a name ("Madame la Maire") are not persons;
  named officials are. Company names are not persons.
- ADDRESS: from the street number (or "lieu-dit") to the city when a postcode follows,
  including complements between them ("Bât. B"); a city alone is not an address.
- DATE: day + month (+ year), numeric or in words, with a weekday written just before;
  "mars 2024" or "2024" alone are not dates.
- Identifiers and contacts: the whole value, separators included; values that fail their
  checksum (a mistyped NIR, SIRET or card) are *not* annotated.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # run as a script or loaded by path (tests)
from unseen_set import UNSEEN_DEV, UNSEEN_FINAL

OUT = Path(__file__).with_name("pii-fr.jsonl")
SEED = 20_241_122
TYPES = {"PERSON", "EMAIL", "PHONE", "IBAN", "NIR", "SIRET", "SIREN", "ADDRESS", "DATE",
         "CARD", "PLATE"}  # fmt: skip
MARK = re.compile(r"\[\[([A-Z]+):(.*?)\]\]", re.DOTALL)

FEMALE = ["Jeanne", "Marie", "Françoise", "Nathalie", "Sylvie", "Isabelle", "Léa", "Chloé",
          "Manon", "Camille", "Hélène", "Gaëlle", "Maëlys", "Anaïs", "Fatima", "Yasmina",
          "Nadia", "Samira", "Leïla", "Aminata", "Fatou", "Awa", "Ana", "Rosa", "Thi Mai",
          "Katarzyna", "Soizic", "Monique", "Christiane", "Brigitte", "Sandrine", "Aurélie",
          "Émilie", "Inès", "Zoé", "Louise", "Jade", "Océane", "Sophie", "Claire", "Agnès",
          "Marie-Claude", "Anne-Sophie", "Khadija", "Mariam", "Elena", "Ioana", "Linh"]  # fmt: skip
MALE = ["Pierre", "Jean", "Jean-Michel", "Philippe", "Thierry", "Éric", "Lucas", "Hugo",
        "Théo", "Noé", "Mohamed", "Karim", "Rachid", "Mehdi", "Sofiane", "Moussa", "Mamadou",
        "Ibrahima", "João", "Manuel", "Minh", "Piotr", "Ionut", "Yannick", "Gwenaël", "Erwan",
        "Bernard", "Michel", "Gérard", "Patrick", "Christophe", "Sébastien", "Julien",
        "Nicolas", "Maxime", "Antoine", "Noah", "Gabriel", "Louis", "Arthur", "Marc",
        "Jean-Pierre", "Yves", "Laurent", "Hamza", "Oumar", "Vasile", "Duc"]  # fmt: skip
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
        "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Mercier", "Dupont",
        "Lambert", "Bonnet", "Martinez", "Le Gall", "Le Goff", "Kerbrat", "Benali", "Haddad",
        "Aït Ahmed", "Nguyen", "Tran", "Diallo", "Traoré", "Coulibaly", "Da Silva", "Pereira",
        "Fernandes", "Kowalski", "Popescu", "Schmitt", "Muller", "Lopez", "Dos Santos",
        "N'Diaye", "Boucher", "Chevalier", "Rousseau", "Blanchard", "Gauthier", "Perrin",
        "Faure", "Rolland", "Marchand", "Barbier", "Brun", "Masson", "Huet", "Caron",
        "Giraud", "Poulain", "Besnard", "Lemoine", "Garnier", "Guérin", "Colin", "Vidal",
        "Bouvier", "Tessier", "Hamon", "Pichon", "Labbé", "Ferrand", "Delmas", "Cazals",
        "Bourdon", "Charpentier", "Benoît", "Renaud", "Carpentier", "Mallet", "Lebrun",
        "Martin-Durand", "de La Roche", "Ould Ahmed", "Cissé", "Mendes", "Zhang", "Wagner"]  # fmt: skip
STREETS = ["des Lilas", "Victor Hugo", "Jean Jaurès", "de la République", "du Général de Gaulle",
           "des Écoles", "du Moulin", "de l'Église", "Pasteur", "du 8 Mai 1945", "de la Gare",
           "des Tilleuls", "du Stade", "Paul Valéry", "Émile Zola", "de Verdun", "du Château",
           "des Peupliers", "Saint-Exupéry", "des Acacias", "de Bretagne", "Louise Michel",
           "du Port", "de la Fontaine", "des Vignes", "du Maréchal Foch", "Aristide Briand",
           "Gambetta", "de Strasbourg", "des Rosiers", "du Commandant Charcot",
           "Sainte-Catherine", "de la Liberté", "du Lavoir", "des Cerisiers", "Marie Curie",
           "Simone Veil", "des Prés", "du Vieux Pont", "de la Source", "des Mimosas",
           "du 11 Novembre 1918", "Jean Moulin", "des Bleuets", "de Paris", "Lamartine"]  # fmt: skip
STREET_TYPES = ["rue", "rue", "rue", "avenue", "boulevard", "place", "chemin", "allée",
                "impasse", "route", "quai", "square", "av.", "bd"]  # fmt: skip
CITIES = [("75011", "Paris"), ("75018", "Paris"), ("69008", "Lyon"), ("13005", "Marseille"),
          ("31000", "Toulouse"), ("33000", "Bordeaux"), ("59000", "Lille"), ("44000", "Nantes"),
          ("67000", "Strasbourg"), ("35000", "Rennes"), ("29200", "Brest"),
          ("63000", "Clermont-Ferrand"), ("94100", "Saint-Maur-des-Fossés"),
          ("92100", "Boulogne-Billancourt"), ("62200", "Boulogne-sur-Mer"),
          ("85000", "La Roche-sur-Yon"), ("24200", "Sarlat-la-Canéda"), ("19000", "Tulle"),
          ("20000", "Ajaccio"), ("20200", "Bastia"), ("97400", "Saint-Denis"), ("72000", "Le Mans"),
          ("59650", "Villeneuve-d'Ascq"), ("04000", "Digne-les-Bains"), ("01000", "Bourg-en-Bresse"),
          ("87000", "Limoges"), ("56000", "Vannes"), ("38000", "Grenoble"), ("46100", "Figeac"),
          ("12000", "Rodez"), ("48000", "Mende"), ("23000", "Guéret"), ("03000", "Moulins"),
          ("21000", "Dijon"), ("81100", "Castres"), ("50100", "Cherbourg-en-Cotentin")]  # fmt: skip
TOWNS = ["Villeneuve-sur-Lot", "Saint-Martin", "Montreuil", "Beaulieu", "Castelnau",
         "Plouhinec", "Aubenas", "Tulle", "Figeac", "Mende"]  # fmt: skip
LIEUX_DITS = ["Les Granges", "La Bruyère", "Le Moulin Neuf", "Les Combes", "La Croix Blanche",
              "Le Pech", "Les Essarts"]  # fmt: skip
COMPANIES = ["SAS Bâtiments Réunis", "SARL Toitures du Lot", "Espaces Verts Services",
             "Transports Rapides 46", "Imprimerie Centrale", "Atelier Bois et Forme",
             "Électricité Générale du Centre", "Traiteur Saveurs d'Ici", "Nettoyage Pro Services",
             "Informatique Solutions Territoires"]  # fmt: skip
EMAIL_HOSTS = ["orange.fr", "free.fr", "gmail.com", "laposte.net", "wanadoo.fr", "sfr.fr",
               "hotmail.fr", "yahoo.fr", "outlook.fr", "mairie-villeneuve.fr", "cc-causses.fr"]  # fmt: skip
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]  # fmt: skip
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
SIV_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"


def M(kind: str, value: str) -> str:
    """Inline markup for one entity."""
    assert kind in TYPES, kind
    return f"[[{kind}:{value}]]"


# ---------------------------------------------------------------- checksummed identifiers


def luhn_digit(payload: str) -> str:
    total = 0
    for i, c in enumerate(reversed(payload)):
        d = int(c)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def rdigits(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789") for _ in range(n))


def nir(r: random.Random, valid: bool = True) -> str:
    sex = r.choice("12")
    yy, mm = f"{r.randint(0, 99):02d}", f"{r.randint(1, 12):02d}"
    dept = r.choice(["75", "69", "13", "59", "33", "19", "46", "2A", "2B", "971", "974", "01"])
    commune = rdigits(r, 2 if len(dept) == 3 else 3)
    order = f"{r.randint(1, 999):03d}"
    body = sex + yy + mm + dept + commune + order
    key = 97 - int(body.replace("2A", "19").replace("2B", "18")) % 97
    if not valid:
        key = key % 97 + 1
    k = f"{key:02d}"
    style = r.random()
    if style < 0.45:
        return " ".join([sex, yy, mm, dept, commune, order, k])
    if style < 0.7:
        return body + k
    if style < 0.8:
        return " ".join([sex, yy, mm, dept, commune, order]) + " - " + k
    if style < 0.9:
        return ".".join([sex, yy, mm, dept, commune, order, k])
    return f"{sex} {yy} {mm} {dept} {commune} {order} {k}".replace(" ", "\u00a0")


def siren(r: random.Random, valid: bool = True) -> str:
    body = rdigits(r, 8)
    digit = luhn_digit(body)
    if not valid:
        digit = str((int(digit) + 3) % 10)
    return body + digit


def fmt_siren(r: random.Random, s: str) -> str:
    return r.choice([f"{s[:3]} {s[3:6]} {s[6:]}", s, f"{s[:3]} {s[3:6]} {s[6:]}"])


def siret(r: random.Random, valid: bool = True) -> str:
    body = siren(r) + f"{r.randint(1, 999):04d}"
    digit = luhn_digit(body)
    if not valid:
        digit = str((int(digit) + 5) % 10)
    s = body + digit
    return r.choice([f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}", s, f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:12]} {s[12:]}",
                     f"{s[:9]} {s[9:]}"])  # fmt: skip


def iban_check(country: str, bban: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


def iban(r: random.Random, country: str = "FR", valid: bool = True) -> str:
    if country == "FR":
        bank, branch, account = rdigits(r, 5), rdigits(r, 5), rdigits(r, 11)
        rib = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
        bban = f"{bank}{branch}{account}{rib:02d}"
    else:
        bban = rdigits(r, {"DE": 18, "BE": 12, "ES": 20, "PT": 21, "LU": 16}[country])
    check = iban_check(country, bban)
    if not valid:
        check = f"{(int(check) + 1) % 100:02d}"
    raw = country + check + bban
    style = r.random()
    if style < 0.7:
        return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
    if style < 0.9:
        return raw
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4)).lower()


def card(r: random.Random, valid: bool = True) -> str:
    prefix = r.choice(["4970", "4974", "4561", "5132", "5412", "2223"])
    body = prefix + rdigits(r, 11)
    digit = luhn_digit(body)
    if not valid:
        digit = str((int(digit) + 1) % 10)
    n = body + digit
    return r.choice([" ".join(n[i : i + 4] for i in range(0, 16, 4)), n,
                     "-".join(n[i : i + 4] for i in range(0, 16, 4))])  # fmt: skip


def plate(r: random.Random) -> str:
    if r.random() < 0.75:
        a = "".join(r.choice(SIV_LETTERS) for _ in range(2))
        b = "".join(r.choice(SIV_LETTERS) for _ in range(2))
        num = f"{r.randint(1, 999):03d}"
        sep = r.choice(["-", "-", "-", " ", ""])
        return f"{a}{sep}{num}{sep}{b}"
    letters = "".join(r.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(r.randint(2, 3)))
    return f"{r.randint(1, 9999)} {letters} {r.choice(['75', '46', '19', '13', '69', '2A', '33'])}"


def phone(r: random.Random) -> str:
    first = r.choice(["6", "7", "1", "2", "3", "4", "5", "9", "6", "6"])
    pairs = [f"{r.randint(0, 99):02d}" for _ in range(4)]
    style = r.random()
    if style < 0.4:
        return "0" + first + " " + " ".join(pairs)
    if style < 0.55:
        return "0" + first + "." + ".".join(pairs)
    if style < 0.62:
        return "0" + first + "-" + "-".join(pairs)
    if style < 0.72:
        return "0" + first + "".join(pairs)
    if style < 0.85:
        return "+33 " + first + " " + " ".join(pairs)
    if style < 0.92:
        return "+33 (0)" + first + " " + " ".join(pairs)
    if style < 0.96:
        return "+33" + first + "".join(pairs)
    return "0033 " + first + " " + " ".join(pairs)


def plain(s: str) -> str:
    table = str.maketrans("àâäéèêëîïôöùûüçÀÂÉÈÊÎÏÔÙÛÇ' ", "aaaeeeeiioouuucAAEEEIIOUUC--")
    return s.translate(table)


def email(r: random.Random, first: str, last: str) -> str:
    f, la = plain(first).lower(), plain(last).lower().replace("--", "-")
    local = r.choice([f"{f}.{la}", f"{f[0]}.{la}", f"{f}{la}{r.randint(1, 99)}", f"{la}.{f}",
                      f"{f}_{la}", f"{f}-{la}"])  # fmt: skip
    address = f"{local}@{r.choice(EMAIL_HOSTS)}"
    return address.upper() if r.random() < 0.05 else address


# ---------------------------------------------------------------- people, places, dates


class Person:
    def __init__(self, r: random.Random) -> None:
        self.female = r.random() < 0.55
        self.first = r.choice(FEMALE if self.female else MALE)
        self.last = r.choice(LAST)
        self.r = r

    def title(self, short: bool | None = None) -> str:
        short = self.r.random() < 0.5 if short is None else short
        if self.female:
            return "Mme" if short else "Madame"
        return "M." if short else "Monsieur"

    def full(self) -> str:
        style = self.r.random()
        if style < 0.6:
            return M("PERSON", f"{self.first} {self.last}")
        if style < 0.8:
            return M("PERSON", f"{self.first} {self.last.upper()}")
        if style < 0.9:
            return M("PERSON", f"{self.last.upper()} {self.first}")
        if self.first[0] == "M":  # "M. Martin" would read as "Monsieur Martin"
            return M("PERSON", f"{self.first} {self.last}")
        return M("PERSON", f"{self.first[0]}. {self.last}")

    def titled(self) -> str:
        """Title + name; the title is outside the span."""
        if self.r.random() < 0.5:
            return f"{self.title()} {M('PERSON', self.last)}"
        return f"{self.title()} {self.full()}"

    def any(self) -> str:
        return self.titled() if self.r.random() < 0.5 else self.full()

    def email(self) -> str:
        return M("EMAIL", email(self.r, self.first, self.last))


def address(r: random.Random, with_city: float = 0.6, multiline: bool = False) -> str:
    if r.random() < 0.08:
        core = f"lieu-dit {r.choice(LIEUX_DITS)}"
    else:
        number = str(r.randint(1, 180))
        if r.random() < 0.15:
            number += r.choice([" bis", " ter", "bis", "B"])
        sep = ", " if r.random() < 0.15 else " "
        core = f"{number}{sep}{r.choice(STREET_TYPES)} {r.choice(STREETS)}"
    if r.random() < 0.08:
        core += r.choice([", Bât. B, appt 12", ", résidence Les Pins", ", 3e étage"])
    if r.random() < with_city:
        cp, city = r.choice(CITIES)
        if r.random() < 0.2:
            city = city.upper()
        joiner = "\n" if multiline else r.choice([", ", " ", ", ", " – "])
        core += f"{joiner}{cp} {city}"
    if r.random() < 0.07 and not multiline:
        core = core.upper()
    return M("ADDRESS", core)


def date(r: random.Random, birth: bool = False, words: float = 0.5) -> str:
    year = r.randint(1935, 2015) if birth else r.randint(2019, 2025)
    month, day = r.randint(1, 12), r.randint(1, 28)
    if r.random() < words:
        d = "1er" if day == 1 or r.random() < 0.05 else str(day)
        if d == "1er":
            day = 1
        text = f"{d} {MONTHS[month - 1]}"
        if r.random() < 0.85 or birth:
            text += f" {year}"
        if not birth and r.random() < 0.25:
            text = f"{r.choice(WEEKDAYS)} {text}"
        return M("DATE", text)
    style = r.random()
    if style < 0.6:
        return M("DATE", f"{day:02d}/{month:02d}/{year}")
    if style < 0.75:
        return M("DATE", f"{day}/{month}/{year}")
    if style < 0.88:
        return M("DATE", f"{day:02d}.{month:02d}.{year}")
    if style < 0.95:
        return M("DATE", f"{year}-{month:02d}-{day:02d}")
    return M("DATE", f"{day:02d}-{month:02d}-{str(year)[2:]}")


def pick(r: random.Random, options: list[str]) -> str:
    return r.choice(options)


# ---------------------------------------------------------------- genres


def citizen_email(r: random.Random) -> str:
    me, other = Person(r), Person(r)
    child = Person(r)
    child.last = me.last
    greeting = pick(r, ["Bonjour", "Bonjour Madame", "Bonjour Monsieur", "Madame, Monsieur",
                        "Madame la Maire", "Monsieur le Maire", "Bonjour à vous",
                        "Mesdames, Messieurs", "Bonjour Madame Dupuis"])  # fmt: skip
    if greeting.endswith("Dupuis"):
        greeting = "Bonjour Madame " + M("PERSON", "Dupuis")
    intro = pick(r, [
        f"Je m'appelle {me.full()} et j'habite au {address(r)}.",
        f"Je soussigné{'e' if me.female else ''} {me.full()}, demeurant {address(r, 0.9)}, "
        "sollicite votre aide.",
        f"Je vous écris au nom de ma mère, Mme {M('PERSON', other.first + ' ' + me.last)}, "
        f"qui réside au {address(r)}.",
        f"Locataire au {address(r)} depuis le {date(r)}, je me permets de vous contacter.",
        f"Je suis {me.full()}, né{'e' if me.female else ''} le {date(r, birth=True)}, et je "
        "vous contacte au sujet "
        "de mon dossier.",
    ])  # fmt: skip
    body = pick(r, [
        f"J'ai déposé une demande de logement social le {date(r)} (numéro unique "
        f"069{rdigits(r, 10)}) et je n'ai toujours aucune réponse.",
        f"Depuis le {date(r)}, un véhicule immatriculé {M('PLATE', plate(r))} est stationné "
        "devant mon garage et m'empêche de sortir.",
        f"Je souhaiterais obtenir une copie intégrale de mon acte de naissance : je suis "
        f"né{'e' if me.female else ''} le {date(r, birth=True)} à {pick(r, TOWNS)}.",
        f"Ma fille {M('PERSON', child.first)}, née le {date(r, birth=True)}, doit être "
        "inscrite à la cantine pour la rentrée.",
        f"Mon voisin, {other.titled()}, fait du bruit tous les soirs après 23 h.",
        f"J'ai payé la facture de cantine avec ma carte {M('CARD', card(r))} mais le montant "
        "a été débité deux fois.",
        f"Pour le remboursement, voici mon IBAN : {M('IBAN', iban(r))}.",
        f"Mon numéro de sécurité sociale est le {M('NIR', nir(r))}, si besoin pour le dossier.",
        "Le lampadaire devant chez moi est en panne depuis trois semaines.",
        f"L'entreprise qui fait les travaux (SIRET {M('SIRET', siret(r))}) laisse ses gravats "
        "sur le trottoir.",
    ])  # fmt: skip
    contact = pick(r, [
        f"Vous pouvez me joindre au {M('PHONE', phone(r))} ou par mail : {me.email()}.",
        f"Mon téléphone : {M('PHONE', phone(r))}.",
        f"Mon adresse électronique est {me.email()}.",
        f"Tél. {M('PHONE', phone(r))} (après 18 h de préférence)",
        "",
    ])  # fmt: skip
    closing = pick(r, ["Cordialement,", "Bien cordialement,", "Merci d'avance.",
                       "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes "
                       "salutations distinguées.", "Bonne journée,", "Salutations."])  # fmt: skip
    signature = pick(r, [me.full(), f"{me.title()} {M('PERSON', me.last)}", me.full() + "\n" +
                         M("PHONE", phone(r))])  # fmt: skip
    subject = pick(r, ["Objet : demande d'information\n\n", "", "", "Objet : réclamation\n\n"])
    return f"{subject}{greeting},\n\n{intro} {body}\n{contact}\n\n{closing}\n{signature}"


def social_note(r: random.Random) -> str:
    writer, person, child1, child2 = Person(r), Person(r), Person(r), Person(r)
    structured = r.random() < 0.5
    if structured:
        lines = [
            pick(
                r, ["NOTE SOCIALE – CONFIDENTIEL", "Note de situation", "CCAS – Évaluation sociale"]
            ),
            f"Date : {date(r)}",
            f"Rédigée par : {writer.full()}, assistante sociale",
            f"Personne accompagnée : {person.titled()}, né{'e' if person.female else ''} le "
            f"{date(r, birth=True)}",
            f"NIR : {M('NIR', nir(r))}",
            f"Adresse : {address(r, 0.8)}",
            f"Téléphone : {M('PHONE', phone(r))}",
            f"Enfants : {M('PERSON', child1.first)} ({date(r, birth=True, words=0.2)}) et "
            f"{M('PERSON', child2.first)} ({r.randint(2, 15)} ans)",
            f"Ressources : RSA et APL (n° allocataire CAF {rdigits(r, 7)}).",
            f"Proposition : aide financière de {r.randint(1, 6) * 50} € à verser sur le compte "
            f"{M('IBAN', iban(r))}.",
        ]
        r.shuffle(lines[4:8])
        return "\n".join(lines)
    return (
        f"Entretien du {date(r)} avec {person.titled()} au CCAS. "
        f"{'Elle' if person.female else 'Il'} vit seul{'e' if person.female else ''} avec "
        f"{'ses enfants' if r.random() < 0.5 else 'son fils'} {M('PERSON', child1.first)} "
        f"depuis la séparation d'avec {M('PERSON', child2.first + ' ' + child2.last)}. "
        f"Le logement situé {address(r, 0.5)} est insalubre (humidité, chauffage défaillant). "
        f"Dettes de loyer : {r.randint(800, 4000)} €. Orientation vers le FSL. "
        f"Prochain rendez-vous fixé le {date(r, words=0.8)}. Contact : {M('PHONE', phone(r))}."
        f"\n{writer.full()}, travailleur social"
    )


def council_minutes(r: random.Random) -> str:
    mayor, sec = Person(r), Person(r)
    adjoints = [Person(r) for _ in range(r.randint(2, 4))]
    absents = Person(r), Person(r)
    town = pick(r, TOWNS)
    company = pick(r, COMPANIES)
    present = ", ".join(p.titled() if r.random() < 0.6 else p.full() for p in adjoints)
    ident = pick(r, [f"SIRET {M('SIRET', siret(r))}", f"SIREN {M('SIREN', fmt_siren(r, siren(r)))}",
                     f"immatriculée au RCS sous le n° {M('SIREN', fmt_siren(r, siren(r)))}"])  # fmt: skip
    return (
        f"COMMUNE DE {town.upper()}\nProcès-verbal de la séance du conseil municipal du "
        f"{date(r, words=0.9)}\n\n"
        f"Présents : {mayor.titled()}, maire ; {present}, adjoints.\n"
        f"Absents excusés : {absents[0].titled()} (pouvoir à {absents[1].titled()}).\n"
        f"Secrétaire de séance : {sec.titled()}.\n\n"
        f"Délibération n° {r.randint(2019, 2025)}-{r.randint(1, 120):03d} – Attribution du "
        f"marché de travaux de voirie à la société {company} ({ident}) pour un montant de "
        f"{r.randint(10, 300)} {r.randint(100, 999)},00 € HT. Adopté à l'unanimité "
        f"({r.randint(11, 29)} voix pour).\n"
        + pick(
            r,
            [
                f"Questions diverses : {adjoints[0].titled()} signale des dégradations au "
                f"{address(r, 0.0)}.",
                "Questions diverses : Monsieur le Maire informe le conseil de la fermeture estivale "
                "de la mairie annexe.",
                f"Questions diverses : la prochaine séance aura lieu le {date(r)}.",
            ],
        )
        + f"\nLa séance est levée à {r.randint(19, 23)} h {r.randint(0, 59):02d}."
    )


def hr_note(r: random.Random) -> str:
    agent, drh = Person(r), Person(r)
    if r.random() < 0.5:
        return "\n".join([
            f"Objet : dossier administratif de {agent.full()}",
            f"Matricule : {rdigits(r, 6)}",
            f"Grade : {pick(r, ['adjoint technique', 'rédacteur principal', 'ATSEM', 'attaché'])}",
            f"Né{'e' if agent.female else ''} le : {date(r, birth=True)} à {pick(r, TOWNS)}",
            f"N° de sécurité sociale : {M('NIR', nir(r))}",
            f"Adresse : {address(r, 0.9)}",
            f"Téléphone : {M('PHONE', phone(r))}",
            f"Courriel : {agent.email()}",
            f"Coordonnées bancaires : {M('IBAN', iban(r))} (BIC : CCBPFRPPTLS)",
            f"Observations : arrêt maladie du {date(r, words=0.3)} au {date(r, words=0.3)}. "
            f"Entretien prévu avec {drh.titled()}, DRH.",
        ])  # fmt: skip
    return (
        f"Compte rendu d'entretien professionnel – {agent.titled()}\n"
        f"L'entretien s'est tenu le {date(r)} en présence de {drh.full()}, "
        f"{pick(r, ['responsable de service', 'directrice des ressources humaines', 'DGS'])}. "
        f"{agent.titled()} souhaite suivre une formation CNFPT et demande un temps partiel "
        f"à compter du {date(r, words=0.7)}. "
        + pick(
            r,
            [
                f"Son changement d'adresse ({address(r, 0.9)}) sera transmis au service paie.",
                f"Il convient de mettre à jour son RIB : {M('IBAN', iban(r))}.",
                f"Joignable au {M('PHONE', phone(r))}.",
                "Aucune observation particulière.",
            ],
        )
    )


def mairie_letter(r: random.Random) -> str:
    to, mayor = Person(r), Person(r)
    town = pick(r, TOWNS)
    subject = pick(r, ["votre demande de permis de construire n° PC 046 102 24 A0012",
                       "inscription scolaire", "votre demande de carte d'identité"])  # fmt: skip
    return (
        f"Mairie de {town}\nService {pick(r, ['Urbanisme', 'État civil', 'Affaires scolaires'])}\n"
        f"Affaire suivie par : {Person(r).full()}\nTél. : {M('PHONE', phone(r))}\n\n"
        f"{to.title(False)} {to.full()}\n{address(r, 1.0, multiline=True)}\n\n"
        f"{town}, le {date(r, words=1.0)}\n\n"
        f"Objet : {subject}\n\n"
        f"{to.title(False)},\n\n"
        + pick(
            r,
            [
                f"Par courrier reçu le {date(r)}, vous avez sollicité ... Votre dossier est complet.",
                "J'ai le plaisir de vous informer que votre demande a reçu un avis favorable.",
                f"Je vous informe que votre enfant {M('PERSON', Person(r).first)} est inscrit à "
                f"l'école {pick(r, ['Jules Ferry', 'Jean Moulin', 'des Tilleuls'])} à compter du "
                f"{date(r)}.",
            ],
        )
        + f"\n\nJe vous prie d'agréer, {to.title(False)}, mes salutations distinguées.\n\n"
        f"Le Maire,\n{mayor.full()}"
    )


def police_report(r: random.Random) -> str:
    owner, officer = Person(r), Person(r)
    return (
        f"RAPPORT D'INTERVENTION – POLICE MUNICIPALE\n"
        f"Le {date(r, words=0.6)} à {r.randint(7, 22)}h{r.randint(0, 59):02d}, l'agent "
        f"{officer.titled()} constate qu'un véhicule "
        f"{pick(r, ['Renault Clio', 'Peugeot 208', 'Citroën Berlingo', 'Dacia Sandero'])} "
        f"immatriculé {M('PLATE', plate(r))} stationne sur l'emplacement réservé au droit du "
        f"{address(r, 0.3)}. "
        + pick(
            r,
            [
                f"Le propriétaire, {owner.titled()}, né{'e' if owner.female else ''} le "
                f"{date(r, birth=True)}, demeurant {address(r, 0.9)}, a été contacté au "
                f"{M('PHONE', phone(r))}.",
                "Le véhicule a été placé en fourrière.",
                f"Un second véhicule, plaque {M('PLATE', plate(r))}, a également été verbalisé.",
            ],
        )
    )


def supplier(r: random.Random) -> str:
    contact = Person(r)
    company = pick(r, COMPANIES)
    ident = pick(r, [f"SIRET : {M('SIRET', siret(r))}", f"SIREN {M('SIREN', fmt_siren(r, siren(r)))}",
                     f"RCS {pick(r, TOWNS)} {M('SIREN', fmt_siren(r, siren(r)))}"])  # fmt: skip
    return (
        f"Fournisseur : {company} – {ident}\n"
        f"Siège : {address(r, 1.0)}\n"
        f"Contact : {contact.full()} – {M('PHONE', phone(r))} – {contact.email()}\n"
        f"RIB : {M('IBAN', iban(r))}\n"
        f"Facture n° F{r.randint(2019, 2025)}-{rdigits(r, 4)} du {date(r, words=0.2)} – "
        f"Montant : {r.randint(1, 40)} {r.randint(100, 999)},{r.randint(10, 99)} € TTC – "
        f"échéance à 30 jours."
    )


def form_fields(r: random.Random) -> str:
    p = Person(r)
    last = p.last.upper() if r.random() < 0.7 else p.last
    firsts = M("PERSON", p.first)
    if r.random() < 0.3:
        firsts += f", {M('PERSON', pick(r, FEMALE if p.female else MALE))}"
    lines = [
        f"Nom : {M('PERSON', last)}",
        f"Prénom(s) : {firsts}",
        f"Date de naissance : {date(r, birth=True, words=0.2)}",
        f"Lieu de naissance : {pick(r, TOWNS)}",
        f"Adresse : {address(r, 0.95)}",
        f"Téléphone : {M('PHONE', phone(r))}",
        f"Courriel : {p.email()}",
    ]
    if r.random() < 0.5:
        lines.append(f"N° de sécurité sociale : {M('NIR', nir(r))}")
    if r.random() < 0.3:
        lines.append(f"Véhicule : {M('PLATE', plate(r))}")
    head = pick(r, ["Formulaire de demande – carte de stationnement résident",
                    "FICHE D'INSCRIPTION – Accueil de loisirs", "Demande de raccordement",
                    "Inscription sur les listes électorales"])  # fmt: skip
    return head + "\n" + "\n".join(lines)


def agent_prompt(r: random.Random) -> str:
    p = Person(r)
    text = pick(r, [
        f"Rédige une réponse polie à {p.titled()} qui se plaint du bruit au {address(r, 0.4)}. "
        f"Son numéro : {M('PHONE', phone(r))}.",
        f"Résume ce dossier : {p.full()}, né{'e' if p.female else ''} le {date(r, birth=True)}, "
        f"NIR {M('NIR', nir(r))}, demande une aide au logement.",
        f"Peux-tu écrire un mail à {p.full()} ({p.email()}) pour lui dire que son dossier est "
        "complet ?",
        f"Prépare un courrier de relance pour l'entreprise {pick(r, COMPANIES)} "
        f"(SIRET {M('SIRET', siret(r))}) : la facture du {date(r)} est impayée.",
        f"Traduis en anglais : « {p.titled()} a rendez-vous le {date(r, words=1.0)} à la "
        "mairie. »",
        f"Corrige l'orthographe : bonjour je suis {p.full()} j'habite {address(r, 0.5)} et je "
        "voudrai un rendez vous.",
    ])  # fmt: skip
    if r.random() < 0.25:
        # Agents often type in lower case: names and streets lose their capitals.
        text = MARK.sub(lambda m: f"[[{m.group(1)}:{m.group(2).lower()}]]", text).lower()
        text = text.replace("[[person:", "[[PERSON:").replace("[[phone:", "[[PHONE:")
        for kind in TYPES:
            text = text.replace(f"[[{kind.lower()}:", f"[[{kind}:")
    return text


def transcript(r: random.Random) -> str:
    a, b, c = Person(r), Person(r), Person(r)
    return (
        f"{M('PERSON', a.first)} : Bon, on passe au point suivant. {M('PERSON', b.first)}, tu as "
        f"des nouvelles du dossier de {c.titled()} ?\n"
        f"{M('PERSON', b.first)} : Oui, je l'ai eue au téléphone le {date(r, words=1.0)}. Elle "
        f"a déménagé au {address(r, 0.3)}, il faut mettre à jour le fichier.\n"
        f"{M('PERSON', a.first)} : D'accord. Et pour la subvention ?\n"
        f"{M('PERSON', b.first)} : Le conseil a voté, on attend le RIB de l'association."
    )


def payment(r: random.Random) -> str:
    p, child = Person(r), Person(r)
    return pick(r, [
        f"Bonjour, j'ai réglé la cantine de {M('PERSON', child.first)} le {date(r)} avec la "
        f"carte n° {M('CARD', card(r))} mais la régie indique un impayé. {p.full()}",
        f"Paiement refusé pour la carte {M('CARD', card(r))} (titulaire : {p.full()}). "
        f"Merci de rappeler au {M('PHONE', phone(r))}.",
        f"Prélèvement à effectuer sur le compte {M('IBAN', iban(r, r.choice(['FR', 'FR', 'BE', 'DE', 'ES', 'PT', 'LU'])))} "
        f"au nom de {p.titled()} à partir du {date(r, words=0.5)}.",
    ])  # fmt: skip


NEGATIVES = [
    "Bonjour Madame,\n\nMerci pour votre retour rapide.\n\nCordialement,\nLe service Accueil",
    "Monsieur le Maire a reçu Madame la Préfète et le Président du conseil départemental pour "
    "évoquer le plan de mobilité.",
    "Ordre du jour :\n1. Approbation du procès-verbal de la séance précédente\n2. Budget "
    "primitif 2024\n3. Tarifs de la cantine scolaire\n4. Questions diverses",
    "Conformément à l'article L. 2121-29 du code général des collectivités territoriales, le "
    "conseil règle par ses délibérations les affaires de la commune.",
    "Madame, Monsieur,\n\nNous accusons réception de votre demande. Elle sera instruite dans "
    "un délai de deux mois.\n\nVeuillez agréer nos salutations distinguées.\n\nLe service "
    "Urbanisme",
    "Le budget 2024 s'élève à 1 234 567,89 € en fonctionnement et 456 789,00 € en investissement.",
    "Délibération n° 2024-045 : approbation du règlement intérieur de la médiathèque.",
    "En cas de violences conjugales, composez le 3919. Pour une urgence, le 17 ou le 112.",
    "La mairie sera fermée en août 2024. Réouverture prévue en septembre.",
    "Cordialement,\nBien à vous,\nMerci d'avance",
    "Madame la Directrice générale des services a présenté le rapport d'orientation "
    "budgétaire pour l'exercice 2024-2025.",
    "Bonjour, pouvez-vous me dire quels sont les horaires d'ouverture de la déchèterie ?",
    "Le taux de la taxe foncière reste fixé à 42,5 % pour 2025.",
    "Objet : marché public n° 2024-MP-017 – lot 3 – maîtrise d'œuvre.",
    "Madame la Maire, Mesdames et Messieurs les conseillers municipaux, bonsoir.",
    "Rédige un courrier type pour informer les habitants des travaux de la rue principale.",
    "Le PLU a été approuvé par le conseil communautaire. Le dossier est consultable en "
    "mairie aux heures d'ouverture.",
    "Résume la note sur la réforme des retraites en trois points.",
    "Bonjour Monsieur,\nJe vous remercie de votre message.\nBonne journée à vous.",
    "Le centre de loisirs accueille les enfants de 3 à 11 ans, de 7 h 30 à 18 h 30.",
]


def invalid_numbers(r: random.Random) -> str:
    """Numbers shaped like identifiers whose checksum fails: nothing to annotate."""
    return pick(r, [
        f"Le numéro {nir(r, valid=False)} indiqué sur le formulaire est erroné, merci de "
        "vérifier votre carte Vitale.",
        f"Le SIRET {siret(r, valid=False)} ne correspond à aucun établissement.",
        f"Carte refusée : {card(r, valid=False)} (numéro invalide).",
        f"Référence de dossier : {rdigits(r, 13)} – à rappeler dans toute correspondance.",
        f"IBAN communiqué : {iban(r, valid=False)} – la clé est incorrecte, merci de nous "
        "renvoyer un RIB.",
        f"Numéro de télédéclaration : {rdigits(r, 4)}-{rdigits(r, 4)}-{rdigits(r, 4)}.",
    ])  # fmt: skip


# Written by hand, outside the genres above, to vary phrasing beyond the templates.
HANDWRITTEN = [
    "Salut [[PERSON:Karim]], tu peux rappeler [[PERSON:Mme Lopez]] ? Elle a laissé son numéro "
    "([[PHONE:07 81 22 45 90]]) à l'accueil ce matin.",
    "Suite à notre échange téléphonique, je vous confirme que [[PERSON:M. Haddad]] ne réside "
    "plus au [[ADDRESS:27 bis rue du Vieux Pont, 46100 Figeac]] depuis le [[DATE:15/09/2023]].",
    "[[PERSON:Aminata Cissé]] (née le [[DATE:3 février 1992]]) sollicite une domiciliation "
    "administrative au CCAS.",
    "PV n° 4521 – véhicule [[PLATE:GH-512-KL]] – stationnement gênant – [[DATE:mardi 12 mars 2024]].",
    "Pour le virement de la subvention, l'association nous a transmis le RIB suivant : "
    "[[IBAN:FR14 2004 1010 0505 0001 3M02 606]].",
    "Merci de prévenir [[PERSON:Jean-Baptiste Roux]] que la réunion du [[DATE:1er avril 2025]] est "
    "reportée.",
    "Je soussignée [[PERSON:Gisèle Marchetti]], épouse [[PERSON:Santoni]], domiciliée "
    "[[ADDRESS:4 place Saint-Nicolas, 20200 Bastia]], atteste sur l'honneur…",
    "Tél. dom. : [[PHONE:05.65.34.12.09]] – port. : [[PHONE:06 98 76 54 32]]",
    "Bonjour, ici [[PERSON:Élodie]] du service jeunesse. Le dossier de [[PERSON:Tom]] est "
    "incomplet : il manque l'attestation CAF.",
    "Le titulaire du marché, la société Espaces Verts Services (SIREN [[SIREN:317 066 900]]), "
    "a présenté une offre conforme.",
    "[[PERSON:Dupuis-Lefèvre Anne]] – [[EMAIL:anne.dupuis-lefevre@laposte.net]] – "
    "[[PHONE:+33 6 11 22 33 44]]",
    "Accident survenu le [[DATE:08/11/2024]] sur la voie communale, véhicule immatriculé "
    "[[PLATE:3478 TZ 46]], conducteur : [[PERSON:Francis Delpech]].",
    "Le courrier a été envoyé à l'adresse suivante :\n[[PERSON:Monique Vayssière]]\n"
    "[[ADDRESS:Lieu-dit Le Pech\n46160 Cajarc]]",
    "Mme la Présidente ouvre la séance à 18 h. M. le rapporteur présente le point n° 3.",
    "Merci de régler la somme due avant le [[DATE:31 décembre]] par virement (IBAN "
    "[[IBAN:FR51 1027 8022 3300 0202 8090 162]]) ou par chèque à l'ordre du Trésor public.",
    "Info de [[PERSON:Yves]] : la famille [[PERSON:Nguyen]] a emménagé au [[ADDRESS:9 impasse des "
    "Mimosas]], il faudra prévoir une place en crèche pour le petit [[PERSON:Minh]].",
    "Conformément au RGPD, vous pouvez exercer vos droits auprès du délégué à la protection "
    "des données de la commune.",
    "Contact presse : [[EMAIL:communication@ville-montreuil.fr]]",
    "[[PERSON:Mamadou Traoré]], agent d'entretien, sera absent du [[DATE:2 mai]] au "
    "[[DATE:6 mai 2024]] inclus.",
    "Numéro fiscal : 13 45 678 901 234 (référence de l'avis d'imposition).",
    "La famille [[PERSON:Le Goff]] signale que le chemin d'accès au [[ADDRESS:lieu-dit Les "
    "Combes]] est impraticable.",
    "Le véhicule de service (plaque [[PLATE:FR-204-PZ]]) doit passer au contrôle technique.",
    "Je vous transmets la carte grise de ma fille [[PERSON:Jade]] : [[PLATE:EK 045 RB]].",
    "SIRET de la régie : [[SIRET:743 915 001 00015]] – merci d'indiquer ce numéro sur vos "
    "factures.",
    "Dr [[PERSON:Benoît Carrère]], médecin de prévention, recevra l'agent le "
    "[[DATE:jeudi 21 novembre 2024]].",
    "Notre fils [[PERSON:Adam]] est allergique aux arachides. Merci d'en informer le personnel "
    "de cantine. [[PERSON:Sarah]] et [[PERSON:Youssef Amrani]]",
    "Votre NIR ([[NIR:1 78 08 2B 033 042 73]]) figure bien dans notre fichier.",
    "Paiement CB de 45 € : [[CARD:4970 1051 2345 6787]], le [[DATE:12/01/2025]].",
    "Réunion de chantier demain 9 h avec le maître d'œuvre.",
    "Maître [[PERSON:Olivier Sabatier]], notaire à Cahors, nous informe de la vente du bien "
    "situé [[ADDRESS:15 Grande Rue, 46090 Mercuès]].",
]


# Written after the recognizers were tuned on everything above, and never used to tune them:
# the bench reports this subset apart, as the honest estimate on unseen phrasing.
HELD_OUT = [
    "Bonsoir, je suis la maman d'[[PERSON:Ilyès]] en CE2 chez Mme [[PERSON:Ferrandi]]. Il sera "
    "absent demain pour un rendez-vous chez l'orthophoniste. Bonne soirée, [[PERSON:Nour Belkacem]]",
    "Signalement : dépôt sauvage devant le [[ADDRESS:31 chemin des Écoliers, 82000 Montauban]], "
    "constaté le [[DATE:samedi 5 octobre 2024]] par un riverain ([[PHONE:06.72.18.40.95]]).",
    "Cher [[PERSON:Thibaut]],\nComme convenu, je te transmets les coordonnées de la famille "
    "[[PERSON:Oliveira]] : [[ADDRESS:8, allée des Charmes\n33700 Mérignac]], [[EMAIL:c.oliveira33@free.fr]].",
    "Le demandeur, [[PERSON:Anatole Vasseur]], né le [[DATE:29/02/1964]] à Amiens, sollicite "
    "le renouvellement de sa carte de stationnement.",
    "Procès-verbal – commission d'appel d'offres du [[DATE:18 juin 2024]]. Membres présents : "
    "[[PERSON:Mme Guillot]], [[PERSON:M. Ranaivo]], [[PERSON:Mme Kervella]]. L'offre de la société "
    "Couverture Lotoise (SIRET [[SIRET:528 741 960 00025]]) est retenue.",
    "Pour mémoire : loyer impayé de [[PERSON:M. Baptiste Lhermitte]] depuis [[DATE:1er mars 2024]], "
    "RIB du bailleur [[IBAN:FR74 1870 6000 0097 5012 3456 712]].",
    "Bonjour,\nMa voiture ([[PLATE:DX-417-MC]]) a été enlevée hier soir rue Pasteur. Comment "
    "la récupérer ? [[PERSON:Solène Rigaud]] – [[PHONE:07 45 63 21 08]]",
    "Réunion d'équipe : [[PERSON:Gaspard]] présente le bilan du centre social, [[PERSON:Maëlle]] "
    "prend les notes. Prochaine réunion le [[DATE:14/11/2024]].",
    "Mme la Directrice générale des services rappelle que les congés doivent être posés avant "
    "fin mai.",
    "Objet : attestation d'accueil\nJe soussigné [[PERSON:Désiré Mbemba]], domicilié "
    "[[ADDRESS:112 avenue de la Libération, 87000 Limoges]], déclare héberger ma nièce "
    "[[PERSON:Grâce Mbemba]], née le [[DATE:7 juillet 2001]].",
    "Numéro de sécurité sociale de l'agent : [[NIR:2 91 07 31 555 123 59]] – à ne pas "
    "transmettre par mail.",
    "Coordonnées de l'entreprise : Menuiserie Castan, SIREN [[SIREN:418 635 272]], contact "
    "[[EMAIL:contact@menuiserie-castan.fr]].",
    "Tu peux relancer [[PERSON:Bérangère]] ? Elle devait envoyer le devis avant le "
    "[[DATE:20 septembre]].",
    "Le conseil municipal, après en avoir délibéré, approuve à l'unanimité la convention avec "
    "l'association Les Amis du Patrimoine.",
    "Demande de Mr [[PERSON:Lucien Porcher]] : il souhaite savoir si son terrain situé "
    "[[ADDRESS:lieu-dit La Garrigue]] est constructible. Tél [[PHONE:+33 5 63 41 22 18]].",
    "Carte bancaire utilisée pour la réservation de la salle : [[CARD:5412 7534 0098 2216]] "
    "(expire 09/27).",
    "[[PERSON:Capucine]] et [[PERSON:Augustin Delorme]] ont signé le bail le [[DATE:02.09.2023]] "
    "pour le logement du [[ADDRESS:5 rue Haute, 46000 Cahors]].",
    "Rédige un compte rendu de la visite de [[PERSON:Mme Adjoua Koffi]] au service logement.",
    "Message laissé par [[PERSON:M. Quéméner]] : il rappellera au [[PHONE:02 98 44 17 63]] "
    "après 17 h.",
    "Le RIB joint ([[IBAN:FR07 3000 4008 2800 0112 3456 747]]) est au nom de [[PERSON:Élise "
    "Marchetti-Royer]].",
    "Immatriculation du véhicule accidenté : [[PLATE:BQ 302 ZT]]. Conductrice : [[PERSON:Laurine "
    "Abadie]], 23 ans — permis probatoire.",
    "Merci de contacter le secrétariat au [[PHONE:05 65 00 00 00]] pour toute question.",
    "Hello [[PERSON:Sven]], le dossier de Mme [[PERSON:Pujol]] est prêt : elle habite toujours "
    "au [[ADDRESS:47 bd Gambetta]] ?",
    "Note : l'agent [[PERSON:Ousmane Sy]] (matricule 7781) réintègre le service le "
    "[[DATE:lundi 6 janvier 2025]].",
    "L'association a pour trésorière [[PERSON:Odile Fabre-Sarrazin]] et pour président "
    "[[PERSON:Hervé Lacombe]].",
    # second batch, written before any run on it
    "bjr, je vous écris pour ma grand-mère [[PERSON:lucienne bouscat]] qui habite au [[ADDRESS:3 "
    "rte de villefranche]] à rodez, elle n'a plus de chauffage depuis [[DATE:lundi 2 décembre]]",
    "Objet : Réclamation facture d'eau\n\nMadame, Monsieur,\nSuite à la réception de la facture "
    "n° 2024-88123, je conteste le relevé. Compteur situé au [[ADDRESS:Appt 3 – 14 rue des "
    "Jardins, 59800 Lille]].\nSalutations,\n[[PERSON:Romuald Vanderbeken]]\n[[PHONE:03 20 55 41 87]]",
    "La fiche de [[PERSON:Kenza El Idrissi]] indique deux numéros : [[PHONE:0744 12 89 30]] et "
    "[[PHONE:+33 1 84 60 22 19]].",
    "Le Conseil d'administration du CCAS s'est réuni le [[DATE:3/10/2024]] sous la présidence de "
    "Madame la Maire. Le quorum étant atteint, la séance est ouverte.",
    "Trois dossiers ont été examinés en commission : celui de Mme B., celui de "
    "M. [[PERSON:Ferhat]] et celui de la famille [[PERSON:Leclerc-Moutou]].",
    "Pouvez-vous verser l'aide sur ce compte : [[IBAN:be60 7604 7587 2251]] (compte belge de ma "
    "fille) ?",
    "Salut, c'est [[PERSON:Jordan]] de la voirie. On a un camion garé sur la piste cyclable, "
    "immatriculation [[PLATE:EZ-560-QN]], tu peux appeler la police municipale ?",
    "Suivi RSA – [[PERSON:M. Teddy Rakotomalala]] – NIR [[NIR:1 57 08 19 945 551 - 75]] – "
    "prochain rendez-vous [[DATE:jeudi 16 janvier 2025]] à 10 h 30.",
    "Facture Orange Business (SIRET [[SIRET:413 482 696 08232]]) réglée le [[DATE:12/12/2024]].",
    "Mandat de prélèvement SEPA\nDébiteur : [[PERSON:Hortense Mazuc]]\nIBAN : "
    "[[IBAN:FR76 8685 4312 1890 0794 4021 712]]\nBIC : AGRIFRPP861\nRéférence unique de mandat : "
    "CANTINE-2024-0412",
    "Je n'ai pas reçu ma carte électorale. Je m'appelle [[PERSON:Priscille Ducros]] et je suis "
    "née le [[DATE:14 avril 1988]].",
    "À l'attention de Maître [[PERSON:Vidalenc]], avocat au barreau de Toulouse : copie de "
    "l'arrêté du [[DATE:27 mai 2024]].",
    "Agenda : lundi matin réunion des chefs de service ; mardi visite du chantier de la "
    "médiathèque ; jeudi bureau municipal.",
    "Pour info, [[PERSON:Clothilde]] (accueil) sera en congé du [[DATE:23 décembre]] au "
    "[[DATE:3 janvier]].",
    "Nouvelle adresse de [[PERSON:Mme Yvonne Astruc]] : [[ADDRESS:Résidence Le Clos Fleuri, "
    "appartement 7, 2 impasse du Four, 12000 Rodez]].",
    "Paiement en ligne refusé pour la carte [[CARD:4970 9479 6860 0353]], titulaire "
    "[[PERSON:Mathis Grandjean]].",
    "Montant des subventions : Comité des fêtes 1 500 € ; Club de foot 3 200 € ; Amicale "
    "laïque 800 €.",
    "Entreprise retenue : Paysages d'Oc, n° SIREN [[SIREN:718720741]], gérant "
    "[[PERSON:Florian Azéma]], [[EMAIL:f.azema@paysagesdoc.com]].",
    "Dossier complet de [[PERSON:Anh Pham]] reçu par mail ([[EMAIL:anh.pham.1990@gmail.com]]) le "
    "[[DATE:2024-09-30]].",
    "Quelqu'un peut-il renseigner Mr et Mme [[PERSON:Guillemot]] sur les horaires de la "
    "déchèterie ?",
    "Je souhaite inscrire mes deux enfants, [[PERSON:Timothée]] ([[DATE:04/05/2017]]) et "
    "[[PERSON:Bertille]] ([[DATE:19/11/2019]]), au centre de loisirs.",
    "Visite à domicile chez [[PERSON:M. Jacky Roumégous]], [[ADDRESS:La Borie Basse, 46300 "
    "Gourdon]], le [[DATE:8 novembre 2024]] : logement encombré, risque d'incendie.",
    "Contact du médecin traitant : Dr [[PERSON:Sabine Oustric]], [[PHONE:05.65.10.20.30]].",
    "Plaque relevée lors du contrôle : [[PLATE:4522 QF 46]] (ancien format), véhicule non assuré.",
    "Merci à [[PERSON:Marcel]], [[PERSON:Huguette]] et [[PERSON:Dédé]] pour l'organisation du "
    "repas des aînés !",
]


def render(markup: str) -> tuple[str, list[dict[str, object]]]:
    """Turn ``[[TYPE:value]]`` markup into plain text and offset annotations."""
    parts, entities, pos, out_len = [], [], 0, 0
    for match in MARK.finditer(markup):
        before = markup[pos : match.start()]
        parts.append(before)
        out_len += len(before)
        kind, value = match.group(1), match.group(2)
        if kind not in TYPES:
            raise ValueError(f"unknown type {kind!r} in {markup[:60]!r}")
        entities.append({"type": kind, "start": out_len, "end": out_len + len(value)})
        parts.append(value)
        out_len += len(value)
        pos = match.end()
    parts.append(markup[pos:])
    text = "".join(parts)
    if "[[" in text or "]]" in text:
        raise ValueError(f"unbalanced markup in {markup[:60]!r}")
    return text, entities


def checksum_ok(kind: str, value: str) -> bool:
    """Independent re-check of every annotated identifier."""
    v = re.sub(r"[\s.\-]", "", value).upper()

    def luhn(d: str) -> bool:
        return d.isdigit() and luhn_digit(d[:-1]) == d[-1]

    if kind == "NIR":
        body = v[:13].replace("2A", "19").replace("2B", "18")
        return len(v) == 15 and 97 - int(body) % 97 == int(v[13:])
    if kind == "SIRET":
        return len(v) == 14 and luhn(v)
    if kind in ("SIREN", "CARD"):
        return len(v) == (9 if kind == "SIREN" else 16) and luhn(v)
    if kind == "IBAN":
        moved = v[4:] + v[:4]
        return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1
    return True


def verify(text: str, entities: list[dict[str, object]], values: list[str]) -> None:
    """Offsets must point at the marked value, trimmed, without overlaps, checksums valid."""
    previous_end = -1
    for entity, value in zip(entities, values, strict=True):
        start, end = int(str(entity["start"])), int(str(entity["end"]))
        assert text[start:end] == value, (text[start:end], value)
        assert value == value.strip() and value, repr(value)
        assert start >= previous_end, "overlap"
        assert checksum_ok(str(entity["type"]), value), (entity["type"], value)
        previous_end = end


def fixed_handwritten(markup: str) -> str:
    """Hand-written lines keep titles inside the markup for readability; move them out."""
    return re.sub(r"\[\[PERSON:(M\.|Mme|Mlle|Dr) ", lambda m: f"{m.group(1)} [[PERSON:", markup)


GENRES: list[tuple[Callable[[random.Random], str], int]] = [
    (citizen_email, 45), (social_note, 22), (council_minutes, 14), (hr_note, 18),
    (mairie_letter, 14), (police_report, 14), (supplier, 14), (form_fields, 18),
    (agent_prompt, 30), (transcript, 8), (payment, 12), (invalid_numbers, 14),
]  # fmt: skip


def build() -> list[dict[str, object]]:
    r = random.Random(SEED)
    markups: list[tuple[str, str]] = []
    for genre, count in GENRES:
        markups.extend(("template", genre(r)) for _ in range(count))
    markups.extend(("template", m) for m in NEGATIVES)
    markups.extend(("handwritten", fixed_handwritten(m)) for m in HANDWRITTEN)
    markups.extend(("held-out", fixed_handwritten(m)) for m in HELD_OUT)
    r.shuffle(markups)
    # Appended after the shuffle, so the earlier rows keep their order and content.
    markups.extend(("unseen-dev", m) for m in UNSEEN_DEV)
    markups.extend(("unseen-final", m) for m in UNSEEN_FINAL)
    rows = []
    for source, markup in markups:
        text, entities = render(markup)
        verify(text, entities, [m.group(2) for m in MARK.finditer(markup)])
        # "source" is extra to the format (readers ignore it); the bench reports by source.
        rows.append({"text": text, "entities": entities, "source": source})
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        for entity in row["entities"]:  # type: ignore[attr-defined]
            counts[entity["type"]] = counts.get(entity["type"], 0) + 1
    print(f"{len(rows)} texts, {sum(counts.values())} entities -> {OUT}")
    print(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
