# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out requests for the tri des demandes (bench_assistants.py --heldout): written before
any tuning on them and never used to tune the prompt, the routing rules or the checks. Services
of the bench's commune: Population, Urbanisme, Voirie, Enfance, Finances. `_service`: the
service(s) a secretary would accept (empty: none of the list, e.g. the CCAS); `_urgence`: the
urgencies she would accept."""

from __future__ import annotations

from typing import Any

TRI_DEMANDES: list[dict[str, Any]] = [
    {
        "demande": "Bonjour, je voudrais inscrire ma fille de 3 ans à l'école maternelle pour septembre. Quels papiers faut-il ?",
        "_service": {"Enfance"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "Après la tempête de cette nuit, des câbles pendent d'un poteau au bord de la route de Vire. Les enfants passent juste à côté pour aller prendre le bus.",
        "_service": {"Voirie"},
        "_urgence": {"haute"},
    },
    {
        "demande": "Je souhaite faire une demande de changement de prénom pour mon fils de 12 ans. Comment procéder ?",
        "_service": {"Population"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "J'ai reçu un titre de recette de 350 euros pour la location de la salle des fêtes alors que j'ai annulé ma réservation en mars, par courrier. Merci de l'annuler.",
        "_service": {"Finances"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "Mon voisin construit une véranda depuis lundi et je ne vois aucun panneau de permis affiché. Est-ce normal ?",
        "_service": {"Urbanisme"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "Le trottoir devant la boulangerie de la place est une plaque de verglas, une dame âgée est tombée ce matin.",
        "_service": {"Voirie"},
        "_urgence": {"haute"},
    },
    {
        "demande": "Je n'ai toujours pas reçu ma carte électorale et l'élection a lieu dimanche. Pourrai-je voter quand même ?",
        "_service": {"Population"},
        "_urgence": {"normale", "haute"},
    },
    {
        "demande": "Bonjour, où en est l'instruction de mon permis de construire PC 099 001 25 00017, déposé il y a trois mois ? Je n'ai aucune nouvelle.",
        "_service": {"Urbanisme"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "Mon fils de 8 ans est rentré seul de la garderie hier soir, personne ne l'a vu partir. C'est inadmissible, je veux des explications.",
        "_service": {"Enfance"},
        "_urgence": {"normale", "haute"},
    },
    {
        "demande": "les poubelles ont pas été ramassé rue du moulin ça fait 2 semaines, ça deborde et ça sent tres mauvais",
        "_service": {"Voirie"},
        "_urgence": {"normale", "haute"},
    },
    {
        "demande": "Je voudrais payer la cantine de mes enfants en plusieurs fois, j'ai des difficultés financières ce mois-ci.",
        "_service": {"Finances", "Enfance"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "Je vends mon terrain chemin des Prés et le notaire me demande un certificat d'urbanisme. Comment l'obtenir ?",
        "_service": {"Urbanisme"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "Mon père est décédé hier à son domicile. Que dois-je faire pour déclarer le décès ?",
        "_service": {"Population"},
        "_urgence": {"normale", "haute"},
    },
    {
        "demande": "Bonjour, serait-il possible d'installer un ralentisseur rue des Écoles ? Les voitures roulent beaucoup trop vite devant le portail de l'école.",
        "_service": {"Voirie"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "La caution de 500 euros de la salle des fêtes ne m'a toujours pas été rendue, deux mois après la location. Pouvez-vous faire le nécessaire ?",
        "_service": {"Finances"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "La crèche a fermé à 16 h aujourd'hui sans prévenir les parents, j'ai dû quitter mon travail en urgence. Est-ce que cela va se reproduire ?",
        "_service": {"Enfance"},
        "_urgence": {"normale"},
    },
    {
        "demande": "Madame, Monsieur,\nJe me permets de vous écrire au sujet de la haie de thuyas du 12 rue des Acacias, qui déborde de plus d'un mètre sur le trottoir. Les piétons et les poussettes doivent marcher sur la chaussée. J'en ai parlé au propriétaire, sans résultat.\nCordialement,\nM. Fabre",
        "_service": {"Voirie"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "Un homme dort dans sa voiture sur le parking de la salle des fêtes depuis une semaine. Il a l'air malade et il fait -5 °C la nuit.",
        "_service": set(),
        "_urgence": {"haute"},
    },
    {
        "demande": "Pouvez-vous me délivrer une attestation d'accueil pour ma sœur qui vient du Maroc en juillet ?",
        "_service": {"Population"},
        "_urgence": {"basse", "normale"},
    },
    {
        "demande": "Ma taxe foncière a augmenté de 20 % cette année. Je voudrais comprendre le taux voté par la commune.",
        "_service": {"Finances"},
        "_urgence": {"basse", "normale"},
    },
]
