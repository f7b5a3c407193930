"""Words around names that are not names: titles, greetings, roles, prompt verbs, places,
acronyms. All lower case except ``ACRONYMS``."""

from __future__ import annotations

TITLES = {
    "madame", "monsieur", "mademoiselle", "mesdames", "messieurs", "mme", "mmes", "mlle",
    "mlles", "m", "mm", "me", "maître", "maitre", "dr", "docteur", "docteure", "pr",
    "professeur", "professeure", "père", "sœur", "soeur", "frère", "mr", "mrs", "ms",
}  # fmt: skip
GREETINGS = {
    "bonjour", "bonsoir", "salut", "coucou", "cordialement", "bien", "sincèrement",
    "salutations", "respectueusement", "amicalement", "merci", "cher", "chère", "chers",
    "chères", "objet", "bonne", "journée", "soirée", "re", "pj", "signé", "signature", "réf",
    "copie", "cc", "destinataire", "expéditeur", "bon", "oui", "non", "ok", "voilà", "alors",
    "ensuite", "enfin", "puis", "donc", "bravo", "félicitations", "attention", "urgent",
    "important", "rappel", "relance", "note", "info", "infos", "nb", "ps", "hello",
    # form labels, capitalised at the start of a line
    "tél", "tel", "téléphone", "portable", "fax", "date", "adresse", "nom", "prénom",
    "prénoms", "courriel", "email", "e-mail", "mail", "lieu", "naissance", "contact",
}  # fmt: skip
ROLES = {
    "maire", "adjoint", "adjointe", "président", "présidente", "préfet", "préfète",
    "directeur", "directrice", "conseiller", "conseillère", "secrétaire", "député",
    "députée", "sénateur", "sénatrice", "agent", "agente", "responsable", "chef", "cheffe",
    "service", "mairie", "direction", "conseil", "municipal", "municipale", "départemental",
    "régional", "général", "générale", "dgs", "drh", "ccas", "caf", "cpam", "rsa", "cnil",
    "rgpd", "commune", "ville", "collectivité", "élu", "élue", "élus", "assistante",
    "assistant", "sociale", "social", "travailleur", "éducateur", "éducatrice", "inspecteur",
    "commissaire", "gendarme", "capitaine", "lieutenant", "adjudant", "brigadier",
    "rapporteur", "rapporteure",
}  # fmt: skip
# Imperatives that open the prompts agents type to an assistant.
PROMPT_VERBS = {
    "rédige", "rédigez", "traduis", "traduisez", "résume", "résumez", "corrige", "corrigez",
    "prépare", "préparez", "écris", "écrivez", "reformule", "reformulez", "explique",
    "expliquez", "propose", "proposez", "liste", "listez", "fais", "faites", "donne",
    "donnez", "analyse", "analysez", "synthétise", "compare", "vérifie", "relis", "complète",
    "génère", "crée", "transforme", "simplifie", "peux-tu", "pourrais-tu", "aide-moi",
}  # fmt: skip
# A capitalised word after these names a place or an institution, not a person.
PLACE_WORDS = {
    "école", "collège", "lycée", "rue", "avenue", "boulevard", "place", "allée", "impasse",
    "chemin", "quai", "square", "stade", "gymnase", "salle", "médiathèque", "bibliothèque",
    "centre", "résidence", "hôpital", "clinique", "maison", "espace", "parc", "pont",
    "mairie", "commune", "ville", "rcs", "cours", "lotissement", "cité", "ehpad", "crèche",
    "groupe", "scolaire", "quartier", "gare", "église", "musée", "théâtre", "piscine",
    "conservatoire", "halle", "rond-point", "foyer", "passage", "jardin", "jardins",
    "cimetière", "route", "voie", "sentier", "parvis", "esplanade", "promenade", "hameau",
    "institut", "université", "faculté", "complexe", "boulodrome", "auditorium", "cinéma",
    "carrefour", "port", "station", "arrêt", "lycées", "écoles", "rues", "collèges",
}  # fmt: skip
# Words between a place word and the person it is named after ("centre social louise
# michel", "rond-point du général leclerc", "école élémentaire jean zay").
PLACE_QUALIFIERS = {
    "social", "sociale", "polyvalent", "polyvalente", "élémentaire", "maternelle", "primaire",
    "municipal", "municipale", "sportif", "sportive", "culturel", "culturelle", "omnisports",
    "intercommunal", "intercommunale", "rural", "associatif", "public", "publique",
    "général", "président", "maréchal", "docteur", "abbé", "commandant", "colonel",
    "professeur", "aéré", "scolaire", "des", "fêtes", "nautique", "aquatique", "santé",
}  # fmt: skip
ACRONYMS = {
    "CAF", "CCAS", "CIAS", "RSA", "APL", "MDPH", "CPAM", "EHPAD", "PMI", "ASE", "RH", "DGS",
    "DRH", "CNIL", "RGPD", "SIRET", "SIREN", "IBAN", "NIR", "BIC", "RIB", "PLU", "CEDEX",
    "EDF", "SNCF", "RATP", "CHU", "SAMU", "SDIS", "HLM", "OPH", "ZAC", "TTC", "HT", "PV",
    "FSL", "CNFPT", "ATSEM", "CGCT", "DOB", "ROB", "PPI", "CM", "CE", "PS", "RCS", "SAS",
    "SARL", "EURL", "SCI", "SA", "TVA", "URSSAF", "INSEE", "DGFIP", "OK", "NB", "PJ", "FR",
    "UE", "EU", "IA", "AI", "PDF", "DOCX", "CV", "PAI", "QF", "CESU", "COMMUNE", "MAIRIE",
    "NOTE", "SOCIALE", "CONFIDENTIEL", "RAPPORT", "POLICE", "MUNICIPALE", "FICHE", "OBJET",
    "URGENT", "DE", "DU", "DES", "LA", "LE", "LES", "ET", "EN", "AU",
}  # fmt: skip

# Words that alone never make a person.
# Product and assistant names that appear in system prompts ("Tu es Civia…").
PRODUCT_NAMES = {"civia"}
NOT_NAMES = TITLES | GREETINGS | ROLES | PROMPT_VERBS | PRODUCT_NAMES
# Lower-case words that may start or sit inside a name: "de La Roche", "Ben Ali".
NAME_PARTICLES = {
    "de", "du", "des", "d'", "d’", "le", "la", "van", "von", "ben", "el", "al", "da", "dos",
}  # fmt: skip
