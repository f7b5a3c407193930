"""Held-out files for the extraction de données (bench_assistants.py --part extraction
--heldout): 20 generated files written before any tuning on them and never used to tune the
table reader. Unlike the dev files (one vocabulary of budget lines), the tables here have other
headers and contents: works with long cells that wrap in the PDF, an agenda with dates, tariffs,
staff counts, a listing over three pages, empty cells; DOCX with long cells; XLSX whose tables
do not start in A1 and carry numbers as numbers; two CSV (semicolons, comma) and one ODT, two
formats the dev files do not have."""

from __future__ import annotations

import csv
import io
import random

from bench.assistants_extraction import Case, Grid, _docx, _pdf, _xlsx

STREETS = [
    "rue Gambetta",
    "avenue de la Gare",
    "chemin du Lavoir",
    "place de l'Église",
    "rue des Écoles",
    "impasse des Tilleuls",
    "route de Vire",
    "quai du Moulin",
]
WORKS = [
    "Réfection de la chaussée et des trottoirs côté pair",
    "Remplacement des canalisations d'eau potable",
    "Enfouissement des réseaux électriques et téléphoniques",
    "Création d'un plateau surélevé devant l'école",
    "Pose de bordures et reprise des caniveaux",
    "Marquage au sol et signalisation verticale",
]
FIRMS = ["Batimo", "Routes de l'Ouest", "Hydro Services", "Élec Réseaux", "TP Normandie"]
EVENTS = [
    "Conseil municipal",
    "Réunion publique",
    "Commission finances",
    "Forum emploi",
    "Accueil des nouveaux habitants",
    "Conseil d'école",
    "Comité des fêtes",
    "Bourse aux vélos",
]
PLACES = ["Mairie, salle du conseil", "Salle des fêtes", "Gymnase", "Médiathèque", "École Curie"]
SERVICES = [
    "Accueil",
    "État civil",
    "Urbanisme",
    "Services techniques",
    "Enfance",
    "Restauration",
    "Finances",
    "Police municipale",
    "Médiathèque",
    "CCAS",
]
CHAPTERS = [
    ("011", "Charges à caractère général"),
    ("012", "Charges de personnel"),
    ("65", "Autres charges de gestion courante"),
    ("66", "Charges financières"),
    ("67", "Charges exceptionnelles"),
    ("70", "Produits des services"),
    ("73", "Impôts et taxes"),
    ("74", "Dotations et participations"),
]


def _money(rng: random.Random) -> str:
    return f"{rng.randint(1, 950)} {rng.randint(0, 999):03d}"


def works(rng: random.Random, rows: int) -> Grid:
    body = [
        [
            rng.choice(STREETS),
            rng.choice(WORKS),
            f"{rng.randint(1, 28):02d}/0{rng.randint(3, 9)}/2026",
            f"{rng.randint(2, 12)} semaines",
            rng.choice(FIRMS),
        ]
        for _ in range(rows)
    ]
    return [["Voie", "Nature des travaux", "Début", "Durée", "Entreprise"], *body]


def agenda(rng: random.Random, rows: int) -> Grid:
    body = [
        [
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2026",
            f"{rng.randint(9, 20)} h",
            rng.choice(EVENTS),
            rng.choice(PLACES),
        ]
        for _ in range(rows)
    ]
    return [["Date", "Heure", "Rendez-vous", "Lieu"], *body]


def tariffs(rng: random.Random, rows: int) -> Grid:
    body = []
    for index in range(rows):
        low = index * 300
        body.append(
            [
                f"de {low} à {low + 299} euros",
                f"{rng.randint(50, 450) / 100:.2f}".replace(".", ","),
                f"{rng.randint(50, 300) / 100:.2f}".replace(".", ","),
            ]
        )
    return [["Quotient familial", "Repas (euros)", "Garderie (euros)"], *body]


def staff(rng: random.Random, rows: int, *, blanks: bool = False) -> Grid:
    body = []
    for index, service in enumerate(rng.sample(SERVICES, rows)):
        row = [
            service,
            str(rng.randint(1, 25)),
            str(rng.randint(0, 20)),
            str(rng.randint(0, 6)),
            f"{rng.randint(0, 9)},{rng.randint(0, 9)} %",
            rng.choice(["oui", "non"]),
        ]
        if blanks and index % 3 == 2:
            row[3] = ""
            row[5] = ""
        body.append(row)
    return [["Service", "Agents", "Titulaires", "Contractuels", "Absentéisme", "Astreinte"], *body]


def budget(rng: random.Random, rows: int) -> Grid:
    body = [
        [
            code,
            label,
            _money(rng),
            _money(rng),
            f"{rng.choice(['+', '-'])}{rng.randint(0, 15)},{rng.randint(0, 9)} %",
        ]
        for code, label in rng.sample(CHAPTERS, rows)
    ]
    return [["Chapitre", "Libellé", "BP 2025", "BP 2026", "Écart"], *body]


def listing(rng: random.Random, rows: int) -> Grid:
    body = [
        [
            f"2026-{index + 1:04d}",
            rng.choice(STREETS).capitalize(),
            rng.choice(
                [
                    "Déclaration préalable",
                    "Permis de construire",
                    "Permis de démolir",
                    "Certificat d'urbanisme",
                ]
            ),
            rng.choice(["accordé", "refusé", "en cours", "incomplet"]),
        ]
        for index in range(rows)
    ]
    return [["Dossier", "Adresse", "Nature", "État"], *body]


def _xlsx_offset(sheets: list[tuple[str, list[Grid]]]) -> tuple[bytes, list[str]]:
    """Tables starting in column C after a title block, numbers stored as numbers."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    places = []
    for title, grids in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append([])
        sheet.append([None, None, f"Commune de Démoville – {title}"])
        sheet.append([])
        for grid in grids:
            for values in grid:
                sheet.append(
                    [
                        None,
                        None,
                        *(int(v) if v.isdigit() and v == str(int(v)) else v for v in values),
                    ]
                )
            sheet.append([])
            places.append(f"feuille « {title} »")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), places


def _csv(grid: Grid, delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(grid)
    return out.getvalue().encode("utf-8")


def _odt(grids: list[tuple[str, Grid]]) -> tuple[bytes, list[str]]:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    places = []
    for heading, grid in grids:
        document.text.addElement(H(outlinelevel=1, text=heading))
        document.text.addElement(P(text="Les chiffres de la période figurent ci-dessous."))
        table = Table(name=heading[:30])
        table.addElement(TableColumn(numbercolumnsrepeated=len(grid[0])))
        for values in grid:
            row = TableRow()
            for value in values:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                row.addElement(cell)
            table.addElement(row)
        document.text.addElement(table)
        places.append(f"section « {heading} »")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), places


def cases() -> list[Case]:
    out: list[Case] = []
    rng = random.Random(2026)
    # 8 PDF
    pdf_specs = [
        ("travaux-voirie.pdf", [(works(rng, 7), 1)], 1, True, "long cells wrapping on 2-3 lines"),
        ("agenda.pdf", [(agenda(rng, 10), 1)], 1, True, "dates and hours"),
        (
            "budget-chapitres.pdf",
            [(budget(rng, 4), 1), (budget(rng, 4), 2), (budget(rng, 3), 2)],
            2,
            True,
            "three tables on two pages",
        ),
        ("tarifs-sans-bordures.pdf", [(tariffs(rng, 6), 1)], 1, False, "unruled, 3 columns"),
        (
            "autorisations-urbanisme.pdf",
            [(listing(rng, 110), 1)],
            1,
            True,
            "one table over three pages",
        ),
        (
            "rapport-12-pages.pdf",
            [(works(rng, 4), 2), (staff(rng, 6), 5), (agenda(rng, 8), 8), (budget(rng, 5), 11)],
            12,
            True,
            "12 pages, 4 tables",
        ),
        (
            "effectifs-vides.pdf",
            [(staff(rng, 9, blanks=True), 1)],
            1,
            True,
            "empty cells, 6 columns",
        ),
        (
            "deux-sans-bordures.pdf",
            [(agenda(rng, 4), 1), (tariffs(rng, 4), 1)],
            1,
            False,
            "two unruled tables on a page",
        ),
    ]
    for index, (name, specs, pages, ruled, note) in enumerate(pdf_specs):
        data, places = _pdf(specs, pages, seed=100 + index, ruled=ruled)  # type: ignore[arg-type]
        out.append(
            Case(name, data, [(g, w) for (g, _), w in zip(specs, places, strict=True)], note)
        )  # type: ignore[misc]
    # 5 DOCX
    docx_specs = [
        ("note-travaux.docx", [works(rng, 5)], [False], "long cells"),
        ("bilan-personnel.docx", [staff(rng, 8), budget(rng, 4)], [False, True], "page break"),
        (
            "agenda-trimestre.docx",
            [agenda(rng, 6), agenda(rng, 5), agenda(rng, 7)],
            [False] * 3,
            "three tables, no page information",
        ),
        ("tarifs.docx", [tariffs(rng, 5)], [False], "one small table"),
        (
            "effectifs-vides.docx",
            [staff(rng, 7, blanks=True), listing(rng, 12)],
            [False, True],
            "empty cells, page break",
        ),
    ]
    for name, grids, breaks, note in docx_specs:
        data, places = _docx(grids, breaks)
        out.append(Case(name, data, list(zip(grids, places, strict=True)), note))
    # 4 XLSX
    xlsx_specs = [
        (
            "budget.xlsx",
            [("Fonctionnement", [budget(rng, 6)]), ("Investissement", [works(rng, 4)])],
            False,
            "two sheets",
        ),
        (
            "effectifs.xlsx",
            [("Effectifs", [staff(rng, 10)])],
            True,
            "starts in C4, numbers as numbers",
        ),
        (
            "agenda.xlsx",
            [("Agenda", [agenda(rng, 5), agenda(rng, 6), tariffs(rng, 3)])],
            False,
            "three tables on a sheet",
        ),
        (
            "suivi.xlsx",
            [
                ("Urbanisme", [listing(rng, 40)]),
                ("Tarifs", [tariffs(rng, 4)]),
                ("Travaux", [works(rng, 3)]),
            ],
            True,
            "three sheets, offset",
        ),
    ]
    for name, sheets, offset, note in xlsx_specs:
        data, places = (_xlsx_offset if offset else _xlsx)(sheets)  # type: ignore[operator]
        expected = [g for _, grids in sheets for g in grids]
        out.append(Case(name, data, list(zip(expected, places, strict=True)), note))
    # 2 CSV, 1 ODT
    grid = listing(rng, 25)
    out.append(Case("autorisations.csv", _csv(grid, ";"), [(grid, "")], "semicolons"))
    grid = budget(rng, 6)
    out.append(Case("budget.csv", _csv(grid, ","), [(grid, "")], "commas, quoted cells"))
    grids = [("Effectifs par service", staff(rng, 6)), ("Tarifs de la cantine", tariffs(rng, 4))]
    data, places = _odt(grids)
    out.append(
        Case(
            "rapport.odt",
            data,
            list(zip([g for _, g in grids], places, strict=True)),
            "two tables under headings",
        )
    )
    return out
