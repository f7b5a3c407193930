"""Write the synthetic SCDL « Délibérations » files used by the acts tests.

    python tests/data/acts/make_fixtures.py

Both files imitate what collectivités really publish (data.gouv.fr), quirks included:

- `saint-aubin-cp1252.csv`: semicolon separated, Windows-1252, CRLF line ends, every field
  quoted, objets spanning several lines, dates as JJ/MM/AAAA (and one with a time), counts
  written "23.0" by a spreadsheet, a SIRET with spaces, the extra columns NATURE_ACTE and
  PUBLICATION_DATE of pro.publication-actes.fr exports (arrêtés mixed with délibérations),
  blank lines, a repeated row, and five bad rows (impossible date, SIRET in scientific
  notation, empty objet, a vote count in words, an unquoted « ; » inside an objet).
- `bellecombe-utf8-bom.csv`: comma separated, UTF-8 with BOM, LF line ends, lower-case
  padded headers, the budget and préfecture columns missing, quotes only where needed, dates
  as AAAA-MM-JJ, a trailing separator on some lines, two collectivités, and two bad rows
  (missing DELIB_ID, an URL that is not one).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).parent
COLUMNS = [
    "COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM", "DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE",
    "VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL",
]  # fmt: skip

SAINT_AUBIN = "Commune de Saint-Aubin-sur-Loire"
SA_SIRET = "214 902 734 00011"
CC = "Communauté de communes du Val d'Authion"
CC_SIRET = "20004190400017"
FIN = "Finances locales/décisions budgétaires"
FISC = "Finances locales/fiscalité"
POLICE = "Libertés publiques et pouvoirs de police/police municipale"
ENS = "Domaines de compétences par thèmes/enseignement"
SOCIAL = "Domaines de compétences par thèmes/action sociale"
CULTURE = "Domaines de compétences par thèmes/culture"
URBA = "Urbanisme/documents d urbanisme"
COMMANDE = "Commande publique/marchés publics"
FP = "Fonction publique/personnels titulaires et stagiaires de la F.P.T."
URL = "https://www.saint-aubin-sur-loire.fr/deliberations/"

# COLL, SIRET, ID, DATE, CODE, MATIERE, OBJET, BUDGET_ANNEE, BUDGET_NOM, PREF_ID, PREF_DATE,
# EFFECTIF, REEL, POUR, CONTRE, ABST, URL, PUBLICATION_DATE, NATURE_ACTE
SA_ROWS = [
    [SAINT_AUBIN, SA_SIRET, "2024-001", "25/01/2024", "7.1", FIN,
     "Budget primitif 2024 du budget principal", "2024", "Budget principal", "PREF049",
     "29/01/2024", "23", "21", "17.0", "4.0", "0", URL + "2024-001.pdf", "30/01/2024", "1"],
    [SAINT_AUBIN, SA_SIRET, "2024-002", "25/01/2024", "7.2", FISC,
     "Vote des taux d'imposition 2024 :\ntaxe foncière sur les propriétés bâties\net non bâties",
     "2024", "Budget principal", "PREF049", "29/01/2024", "23", "21", "21", "0", "0",
     URL + "2024-002.pdf", "30/01/2024", "1"],
    [SAINT_AUBIN, SA_SIRET, "2024-003", "07/03/2024", "8.1", ENS,
     "Tarifs de la restauration scolaire (cantine) pour l'année scolaire 2024-2025",
     "2024", "", "PREF049", "11/03/2024", "23", "20", "18", "0", "2", URL + "2024-003.pdf",
     "12/03/2024", "1"],
    [SAINT_AUBIN, SA_SIRET, "2024-004", "07/03/2024", "8.1", ENS,
     "Tarifs de l'accueil périscolaire et de la garderie du mercredi", "2024", "",
     "PREF049", "11/03/2024", "23", "20", "20", "", "", URL + "2024-004.pdf", "12/03/2024", "1"],
    [SAINT_AUBIN, SA_SIRET, "2024-005", "07/03/2024 00:00:00", "4.1", FP,
     "Création d'un poste d'adjoint technique territorial à temps complet", "", "",
     "PREF049", "11/03/2024", "23", "20", "20", "0", "0", "", "12/03/2024", "1"],
    [SAINT_AUBIN, SA_SIRET, "AR-2024-031", "15/04/2024", "6.1", POLICE,
     "Arrêté portant réglementation temporaire de la circulation et du stationnement\n"
     "à l'occasion de la brocante du 1er mai 2024, place de l'Église", "", "", "PREF049",
     "16/04/2024", "", "", "", "", "", URL + "AR-2024-031.pdf", "17/04/2024", "AR"],
    [SAINT_AUBIN, SA_SIRET, "AR-2024-044", "02/06/2024", "6.1", POLICE,
     "Arrêté autorisant l'ouverture d'un débit de boissons temporaire lors de la fête de la "
     "musique", "", "", "PREF049", "03/06/2024", "", "", "", "", "", "", "04/06/2024", "AI"],
    [SAINT_AUBIN, SA_SIRET, "2024-012", "20/06/2024", "1.1", COMMANDE,
     "Attribution du marché de fourniture des repas de la restauration scolaire", "2024",
     "Budget principal", "PREF049", "24/06/2024", "23", "19", "15", "3", "1",
     URL + "2024-012.pdf", "25/06/2024", "1"],
    [SAINT_AUBIN, SA_SIRET, "2024-013", "20/06/2024", "2.1", URBA,
     "Prescription de la révision du plan local d'urbanisme (PLU)\net définition des "
     "modalités de la concertation", "", "", "PREF049", "24/06/2024", "23", "19", "10",
     "11", "", URL + "2024-013.pdf", "25/06/2024", "1"],
    [SAINT_AUBIN, SA_SIRET, "2024-014", "20/06/2024", "8.2", SOCIAL,
     "Subvention au centre communal d'action sociale (CCAS) pour l'aide alimentaire",
     "2024", "Budget principal", "PREF049", "24/06/2024", "23", "19", "19", "0", "0",
     URL + "2024-014.pdf", "25/06/2024", "1"],
    [SAINT_AUBIN, SA_SIRET, "2023-041", "14/12/2023", "8.1", ENS,
     "Tarifs de la cantine scolaire pour l'année 2024", "2024", "", "PREF049", "18/12/2023",
     "23", "22", "22", "0", "0", URL + "2023-041.pdf", "19/12/2023", "1"],
    [SAINT_AUBIN, SA_SIRET, "AR-2023-102", "10/04/2023", "6.1", POLICE,
     "Arrêté réglementant la circulation pendant la brocante annuelle du 1er mai 2023", "",
     "", "PREF049", "11/04/2023", "", "", "", "", "", "", "12/04/2023", "AR"],
    [SAINT_AUBIN, SA_SIRET, "2024-020", "19/09/2024", "8.9", CULTURE,
     "Convention de partenariat avec l'école de musique intercommunale", "", "", "PREF049",
     "23/09/2024", "23", "21", "21", "0", "0", URL + "2024-020.pdf", "24/09/2024", "1"],
    # Bad rows: each one must be reported with its line and the others imported.
    [SAINT_AUBIN, SA_SIRET, "2024-021", "31/02/2024", "7.1", FIN,
     "Décision modificative n° 1 du budget principal", "2024", "Budget principal", "PREF049",
     "", "23", "21", "21", "0", "0", "", "", "1"],
    [SAINT_AUBIN, "2.14902734E+13", "2024-022", "19/09/2024", "7.1", FIN,
     "Admission en non-valeur de créances irrécouvrables", "2024", "", "PREF049", "",
     "23", "21", "21", "0", "0", "", "", "1"],
    [SAINT_AUBIN, SA_SIRET, "2024-023", "19/09/2024", "5.7", "Institutions et vie politique"
     "/intercommunalité", "", "", "", "", "", "23", "21", "21", "0", "0", "", "", "1"],
    [SAINT_AUBIN, SA_SIRET, "2024-024", "19/09/2024", "8.1", ENS,
     "Tarifs du transport scolaire", "2024", "", "PREF049", "", "23", "21", "vingt et un",
     "0", "0", "", "", "1"],
    # The intercommunalité (same file: a centre de gestion publishes its members' acts).
    [CC, CC_SIRET, "CC2024_15", "12/02/2024", "7.1", FIN,
     "Budget primitif 2024 du budget annexe ordures ménagères", "2024",
     "Budget annexe déchets-collecte et traitement", "PREF049", "15/02/2024", "41", "37",
     "30", "5", "2", "", "16/02/2024", "DE"],
    [CC, CC_SIRET, "CC2024_16", "12/02/2024", "8.8", "Domaines de compétences par thèmes/"
     "environnement", "Redevance incitative : tarifs 2024 de la collecte des déchets", "2024",
     "Budget annexe déchets-collecte et traitement", "PREF049", "15/02/2024", "41", "37",
     "37", "0", "0", "", "16/02/2024", "DE"],
    [CC, CC_SIRET, "CC2024_22", "04/04/2024", "8.1", ENS,
     "Tarification harmonisée de la restauration scolaire des écoles communautaires",
     "2024", "", "PREF049", "08/04/2024", "41", "35", "29", "4", "2", "", "09/04/2024", "DE"],
    [CC, CC_SIRET, "CC2024_23", "04/04/2024", "5.7", "Institutions et vie politique/"
     "intercommunalité", "Modification des statuts : prise de la compétence mobilité", "",
     "", "PREF049", "08/04/2024", "41", "35", "35", "0", "0", "", "09/04/2024", "DE"],
]  # fmt: skip
# A verbatim repeat of row 3 (exports concatenated twice) and a row whose objet holds an
# unquoted separator (written by hand below, the csv writer would quote it).
REPEATED = 2
BROKEN_LINE = (
    f'"{SAINT_AUBIN}";"{SA_SIRET}";"2024-025";"19/09/2024";"3.5";"Domaine et patrimoine/'
    'autres actes de gestion du domaine public";Dénomination de voies ; impasse des Tilleuls'
    ';"";"";"PREF049";"";"23";"21";"21";"0";"0";"";"";"1"'
)

BELLECOMBE = "Commune de Bellecombe"
BC_SIRET = "21730035600012"
DEMO = "Ville de Démoville"
DEMO_SIRET = "21990001500010"
BC_COLUMNS = [
    " coll_nom", "coll_siret ", "delib_id", "delib_date", "delib_matiere_code",
    "delib_matiere_nom", "delib_objet", "vote_effectif", "vote_reel", "vote_pour",
    "vote_contre", "vote_abstention", "delib_url",
]  # fmt: skip
BC_URL = "https://bellecombe.fr/actes/"
BC_ROWS = [
    [BELLECOMBE, BC_SIRET, "D2024-01", "2024-01-18", "7.1", FIN,
     "Débat d'orientation budgétaire 2024", "15", "14", "14", "0", "0", BC_URL + "d2024-01.pdf"],
    [BELLECOMBE, BC_SIRET, "D2024-02", "2024-02-22", "8.1", ENS,
     "Prix du repas à la cantine, tarifs périscolaires et garderie, année 2024-2025",
     "15", "13", "12", "1", "0", BC_URL + "d2024-02.pdf"],
    [BELLECOMBE, BC_SIRET, "D2024-03", "2024-02-22", "3.1", "Domaine et patrimoine/acquisitions",
     "Acquisition d'une parcelle pour l'extension du cimetière, 2 500 m², au prix de 10 €/m²",
     "15", "13", "13", "0", "0", ""],
    [BELLECOMBE, BC_SIRET, "D2024-04", "2024-04-11", "8.9", CULTURE,
     "Organisation du vide-grenier et de la brocante de printemps : droits de place",
     "15", "12", "12", "0", "0", "www.bellecombe.fr/actes/d2024-04.pdf"],
    [BELLECOMBE, BC_SIRET, "D2024-05", "2024-04-11", "9.1", "Autres domaines de compétences/"
     "autres domaines de compétences des communes", "Motion pour le maintien du bureau de "
     "poste", "15", "12", "", "", "", ""],
    [DEMO, DEMO_SIRET, "2024/18", "2024-03-28", "8.1", ENS,
     "Restauration scolaire : adoption d'une tarification sociale au quotient familial",
     "33", "30", "24", "6", "0", "https://demoville.fr/conseil/2024-18"],
    [DEMO, DEMO_SIRET, "2024/19", "2024-03-28", "7.5", "Finances locales/subventions",
     "Attribution des subventions aux associations sportives et culturelles", "33", "30",
     "27", "0", "3", "https://demoville.fr/conseil/2024-19"],
    [DEMO, DEMO_SIRET, "2024/20", "2024-03-28", "6.4", "Libertés publiques et pouvoirs de "
     "police/autres actes réglementaires", "Règlement de la brocante et du marché aux puces "
     "du centre-ville", "33", "30", "30", "0", "0", ""],
    # Bad rows.
    [DEMO, DEMO_SIRET, "", "2024-03-28", "7.1", FIN, "Décision modificative n° 2", "33", "30",
     "30", "0", "0", ""],
    [DEMO, DEMO_SIRET, "2024/21", "2024-03-28", "7.10", "Finances locales/divers",
     "Garantie d'emprunt pour Démoville Habitat", "33", "30", "30", "0", "0", "voir le site"],
]  # fmt: skip


def saint_aubin() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([*COLUMNS, "PUBLICATION_DATE", "NATURE_ACTE"])
    for index, row in enumerate(SA_ROWS):
        writer.writerow(row)
        if index == REPEATED:
            writer.writerow(row)
        if index == 6:
            out.write("\r\n")  # a blank line in the middle of the file
    out.write(BROKEN_LINE + "\r\n\r\n")
    return out.getvalue().encode("cp1252")


def bellecombe() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", lineterminator="\n")
    writer.writerow(BC_COLUMNS)
    for index, row in enumerate(BC_ROWS):
        writer.writerow([*row, ""] if index % 3 == 0 else row)  # a trailing separator
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


if __name__ == "__main__":
    (HERE / "saint-aubin-cp1252.csv").write_bytes(saint_aubin())
    (HERE / "bellecombe-utf8-bom.csv").write_bytes(bellecombe())
