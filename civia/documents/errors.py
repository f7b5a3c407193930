"""Errors of the documents area. `message_fr` is safe to show to users as is."""

from __future__ import annotations

FORMATS_FR = "PDF, DOCX, ODT, XLSX, CSV, HTML, TXT, Markdown, images PNG, JPEG et TIFF"


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.0f} Mo" if size >= 1_000_000 else f"{size / 1000:.0f} ko"


class DocumentError(Exception):
    """Base class: a document could not be taken in. `str(error)` is the French message."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


class EmptyFileError(DocumentError):
    def __init__(self, filename: str) -> None:
        super().__init__(f"Le fichier « {filename} » est vide : il n'y a rien à analyser.")


class FileTooLargeError(DocumentError):
    def __init__(self, filename: str, limit: int) -> None:
        super().__init__(
            f"Le fichier « {filename} » dépasse la taille maximale autorisée ({_mb(limit)}). "
            "Découpez-le ou demandez à un administrateur de relever la limite."
        )


class TooManyFilesError(DocumentError):
    def __init__(self, filename: str, limit: int) -> None:
        super().__init__(
            f"Le fichier « {filename} » n'a pas été reçu : un dépôt compte au plus {limit} "
            "fichiers. Déposez-le avec un autre envoi."
        )


class UnsupportedFormatError(DocumentError):
    def __init__(self, filename: str) -> None:
        super().__init__(
            f"Le format du fichier « {filename} » n'est pas pris en charge "
            f"(formats acceptés : {FORMATS_FR})."
        )


class WrongContentError(DocumentError):
    """The file's name says one format, its content is another (e.g. a renamed program)."""

    def __init__(self, filename: str, expected: str) -> None:
        super().__init__(
            f"Le fichier « {filename} » n'est pas un {expected.upper()} : son contenu ne "
            "correspond pas à son extension. Vérifiez que vous avez choisi le bon fichier."
        )


class CorruptedFileError(DocumentError):
    """`kind` names the file with its article: "le PDF", "la page HTML"..."""

    def __init__(self, filename: str, kind: str = "le fichier") -> None:
        e, pronoun = ("e", "la") if kind.startswith(("la ", "l'image")) else ("", "le")
        super().__init__(
            f"{kind[:1].upper()}{kind[1:]} « {filename} » est endommagé{e} ou illisible. "
            f"Ouvrez-{pronoun} puis enregistrez-{pronoun} à nouveau avant de {pronoun} déposer."
        )


class EncryptedFileError(DocumentError):
    def __init__(self, filename: str) -> None:
        super().__init__(
            f"Le fichier « {filename} » est protégé par un mot de passe. "
            "Retirez la protection puis déposez-le à nouveau."
        )


class SuspiciousArchiveError(DocumentError):
    """A zip-based office file that would expand beyond the limits (zip bomb)."""

    def __init__(self, filename: str, limit: int) -> None:
        super().__init__(
            f"Le fichier « {filename} » a été refusé : une fois décompressé, il dépasserait "
            f"{_mb(limit)}. Il peut s'agir d'un fichier piégé ; vérifiez sa provenance."
        )


class ImageTooLargeError(DocumentError):
    """An image whose pixel count is beyond the limits (possibly a decompression bomb)."""

    def __init__(self, filename: str, limit: int) -> None:
        super().__init__(
            f"L'image « {filename} » a été refusée : elle dépasse {limit // 1_000_000} millions "
            "de pixels. Il peut s'agir d'un fichier piégé ; sinon, réduisez-la avant de "
            "l'envoyer."
        )


class NoTextError(DocumentError):
    def __init__(self, filename: str, *, ocr_tried: bool = False) -> None:
        hint = (
            "La reconnaissance de caractères n'a rien lu sur ses pages numérisées : vérifiez "
            "la qualité du scan (300 dpi, page droite)."
            if ocr_tried
            else "S'il s'agit d'un document numérisé (scan), la reconnaissance de caractères "
            "n'est pas disponible sur ce serveur."
        )
        super().__init__(f"Aucun texte n'a pu être extrait de « {filename} ». {hint}")


class DuplicateDocumentError(DocumentError):
    def __init__(self, filename: str, existing_title: str, existing_id: int) -> None:
        super().__init__(
            f"Le fichier « {filename} » est déjà présent dans cette collection "
            f"(document « {existing_title} »)."
        )
        self.existing_id = existing_id


class EmptyQueryError(DocumentError):
    def __init__(self) -> None:
        super().__init__(
            "La question ne contient que des mots trop courants (« le », « de », « est »…) : "
            "précisez-la avec des mots plus parlants."
        )
