"""The pictograms a poster may carry: a chosen few of Tabler Icons (MIT licence), installed from
npm by `scripts/install.sh`, listed with their French labels in `pictograms.tsv`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
FOLDER = HERE.parent / "web" / "static" / "vendor" / "pictos"


class MissingPictogram(LookupError):
    """The icon file is absent: `scripts/install.sh` was not run (npm)."""


@dataclass(frozen=True)
class Pictogram:
    key: str
    icon: str  # the Tabler file name
    label: str  # French

    @property
    def path(self) -> Path:
        return FOLDER / f"{self.icon}.svg"

    def svg(self, colour: str) -> str:
        """The icon's SVG, its strokes in `colour` (hex without #)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise MissingPictogram(
                f"pictogram {self.icon} missing from {FOLDER}: run scripts/install.sh"
            ) from None
        # On one line: fpdf2 recognises an SVG by its first bytes being "<svg ".
        return " ".join(text.split()).replace("currentColor", f"#{colour}")


@cache
def catalogue() -> dict[str, Pictogram]:
    found = {}
    for line in (HERE / "pictograms.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, icon, label = line.split("\t")
            found[key] = Pictogram(key, icon, label)
    return found


def get(key: str) -> Pictogram:
    """The pictogram `key`, or the generic calendar for a key the list does not know."""
    return catalogue().get(key) or catalogue()["agenda"]
