# ruff: noqa: E501 - tables of objet templates read better one per line
"""A generated SCDL « Délibérations » corpus for the acts benchmark (deterministic, offline).

Forty collectivités, objets drawn from templates of what councils vote every year (budgets,
tarifs, subventions, personnel, urbanisme, arrêtés de police…), ACTES matières, realistic vote
counts, semicolon-separated and Windows-1252 like many published files.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

COLUMNS = [
    "COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM", "DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE",
    "VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL",
    "NATURE_ACTE",
]  # fmt: skip
PLACES = [
    "Saint-Aubin",
    "Bellecombe",
    "Démoville",
    "Villeneuve",
    "Fontaine",
    "Montigny",
    "Beaulieu",
    "Champagne",
    "Marigny",
    "Rochefort",
    "Valmont",
    "Clairefont",
    "Lussac",
    "Verneuil",
    "Brissac",
    "Cormeilles",
    "Douvres",
    "Étrelles",
    "Fresnay",
    "Gorron",
    "Hambers",
    "Ingrandes",
    "Juvigné",
    "Landivy",
    "Mayenne",
    "Neau",
    "Oisseau",
    "Pré-en-Pail",
    "Quelaines",
    "Ruillé",
    "Sacé",
    "Torcé",
    "Urbanis",
    "Vaiges",
    "Villaines",
    "Andouillé",
    "Bonchamp",
    "Changé",
    "Entrammes",
    "Forcé",
]
TOPICS = [
    ("7.1", "Finances locales/décisions budgétaires", "Budget primitif {y} du budget {b}"),
    ("7.1", "Finances locales/décisions budgétaires", "Décision modificative n° {n} du budget {b}"),
    ("7.1", "Finances locales/décisions budgétaires", "Compte administratif {y} du budget {b}"),
    ("7.2", "Finances locales/fiscalité", "Vote des taux d'imposition {y}"),
    ("7.5", "Finances locales/subventions", "Subvention à l'association {a} pour l'année {y}"),
    ("7.3", "Finances locales/emprunts", "Garantie d'emprunt pour la construction de {k} logements"),
    ("8.1", "Domaines de compétences par thèmes/enseignement", "Tarifs de la restauration scolaire {y}-{z}"),
    ("8.1", "Domaines de compétences par thèmes/enseignement", "Tarifs de l'accueil périscolaire et de la garderie {y}"),
    ("8.1", "Domaines de compétences par thèmes/enseignement", "Participation aux frais de fonctionnement de l'école {a}"),
    ("8.2", "Domaines de compétences par thèmes/action sociale", "Subvention au CCAS pour l'aide alimentaire {y}"),
    ("8.3", "Domaines de compétences par thèmes/voirie", "Travaux de réfection de la voirie rue {r}"),
    ("8.8", "Domaines de compétences par thèmes/environnement", "Tarifs {y} de la redevance d'enlèvement des ordures ménagères"),
    ("8.9", "Domaines de compétences par thèmes/culture", "Tarifs de la médiathèque et de l'école de musique {y}"),
    ("4.1", "Fonction publique/personnels titulaires et stagiaires de la F.P.T.", "Création d'un poste d'{p} à temps complet"),
    ("4.2", "Fonction publique/personnels contractuels", "Recrutement d'agents contractuels pour l'été {y}"),
    ("2.1", "Urbanisme/documents d urbanisme", "Modification simplifiée n° {n} du plan local d'urbanisme"),
    ("3.1", "Domaine et patrimoine/acquisitions", "Acquisition de la parcelle cadastrée {c} rue {r}"),
    ("3.2", "Domaine et patrimoine/aliénations", "Cession d'un terrain communal rue {r}"),
    ("1.1", "Commande publique/marchés publics", "Attribution du marché de {m}"),
    ("5.7", "Institutions et vie politique/intercommunalité", "Approbation du rapport de la commission locale d'évaluation des charges transférées {y}"),
    ("6.1", "Libertés publiques et pouvoirs de police/police municipale", "Arrêté réglementant la circulation pour la brocante du {d}"),
    ("6.1", "Libertés publiques et pouvoirs de police/police municipale", "Arrêté portant interdiction temporaire de stationnement rue {r}"),
]  # fmt: skip
STREETS = [
    "Victor Hugo",
    "des Tilleuls",
    "de la Mairie",
    "Jean Jaurès",
    "du Stade",
    "de l'Église",
    "des Écoles",
]
ASSOCIATIONS = ["sportive", "des parents d'élèves", "de pêche", "du comité des fêtes", "de musique"]
POSTS = ["adjoint technique", "adjoint administratif", "ATSEM", "animateur", "rédacteur"]
MARKETS = ["fourniture des repas", "nettoyage des bâtiments", "entretien des espaces verts", "maîtrise d'œuvre"]  # fmt: skip
BUDGETS = ["principal", "annexe assainissement", "annexe eau", "annexe lotissement"]


def _siret(index: int) -> str:
    return f"21{index:03d}{(index * 7919) % 10000:04d}00012"[:14]


def rows(count: int, *, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        place = rng.randrange(len(PLACES))
        code, matiere, template = rng.choice(TOPICS)
        year = rng.randint(2015, 2025)
        day = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
        objet = template.format(
            y=year, z=year + 1, n=rng.randint(1, 5), b=rng.choice(BUDGETS), a=rng.choice(ASSOCIATIONS),
            k=rng.randint(4, 40), r=rng.choice(STREETS), p=rng.choice(POSTS), c=f"AB {rng.randint(1, 999)}",
            m=rng.choice(MARKETS), d=day.strftime("%d/%m/%Y"),
        )  # fmt: skip
        arrete = objet.startswith("Arrêté")
        effectif = rng.choice((15, 19, 23, 27, 29, 33))
        reel = effectif - rng.randint(0, 5)
        contre = 0 if rng.random() < 0.7 else rng.randint(1, reel // 3)
        abstention = 0 if rng.random() < 0.8 else rng.randint(1, 3)
        pour = max(reel - contre - abstention, 0)
        votes = ["", "", "", "", ""] if arrete else [effectif, reel, pour, contre, abstention]
        prefix = "AR" if arrete else "DE"
        out.append(
            [
                f"Commune de {PLACES[place]}", _siret(place), f"{prefix}-{year}-{i:05d}",
                day.strftime("%d/%m/%Y" if i % 2 else "%Y-%m-%d"), code, matiere, objet,
                "" if arrete else str(year), "" if arrete else "Budget principal", "PREF053",
                (day + timedelta(days=4)).isoformat(), *map(str, votes),
                f"https://actes.example.fr/{_siret(place)}/{i}.pdf", "AR" if arrete else "DE",
            ]
        )  # fmt: skip
    return out


def csv_bytes(count: int, *, seed: int = 7) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(count, seed=seed))
    return out.getvalue().encode("cp1252")
