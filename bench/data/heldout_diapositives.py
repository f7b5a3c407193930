# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out plans for the diapositives (bench_assistants.py --heldout): written before any tuning
on them and never used to tune the prompt or the checks. Varied forms: a numbered plan, raw
notes in one paragraph, a bullet list with figures, a Markdown table, a few keywords; from 1 to
8 slides asked, for elected officials, agents or residents."""

from __future__ import annotations

from typing import Any

DIAPOSITIVES: list[dict[str, Any]] = [
    {
        "titre": "Rapport d'activité 2024 du service population",
        "contenu": "- 2 350 titres d'identité instruits (+12 %), délai moyen de rendez-vous : 5 semaines\n- 86 mariages, 41 PACS, 312 naissances\n- Recensement citoyen : 198 jeunes\n- Nouveau : prise de rendez-vous en ligne depuis mars\n- Difficultés : un poste vacant pendant 4 mois, pics d'appels avant l'été\n- Perspectives : borne d'accueil, formation d'un second agent à l'état civil",
        "nombre": "4",
    },
    {
        "titre": "Réunion publique : la fibre optique arrive",
        "contenu": "Qui déploie la fibre (opérateur désigné par le département). Calendrier par quartier : Centre en juin, Nord en septembre, hameaux début de l'année prochaine. Comment vérifier son éligibilité. Démarches pour se raccorder (choisir un fournisseur d'accès). Rôle de la mairie : élagage, autorisations de voirie. Questions fréquentes.",
        "nombre": "5",
    },
    {
        "titre": "Les règles du télétravail",
        "contenu": "Jusqu'à 2 jours par semaine, sur demande écrite, accord du responsable. Matériel fourni par la collectivité. Droit à la déconnexion.",
        "nombre": "1",
    },
    {
        "titre": "Projet de piscine intercommunale",
        "contenu": "1. Pourquoi : piscine actuelle de 1972 fermée deux mois par an pour pannes, apprentissage de la natation des écoliers compromis.\n2. Le projet : bassin sportif de 25 m, bassin d'apprentissage, espace bien-être.\n3. Coût : 9,5 M€ HT ; subventions attendues 45 %.\n4. Répartition entre les communes selon la population.\n5. Calendrier : études en 2026, travaux 2027-2028.\n6. Prochaines étapes : vote des conseils municipaux, concours d'architecte.",
        "nombre": "6",
    },
    {
        "titre": "Bilan de la concertation sur le plan de circulation",
        "contenu": "| Mesure | Pour | Contre |\n|---|---|---|\n| Sens unique rue de la République | 58 % | 42 % |\n| Zone de rencontre place de l'Église | 71 % | 29 % |\n| Suppression de 15 places rue du Four | 34 % | 66 % |\n\n890 participants (questionnaire en ligne et papier), 3 ateliers, 1 balade urbaine. Les élus retiennent les deux premières mesures et réétudient la troisième.",
        "nombre": "3",
    },
    {
        "titre": "Accueil des stagiaires de 3e",
        "contenu": "Services qui accueillent. Durée : une semaine. Tuteur. Convention à signer. Activités possibles. Évaluation.",
        "nombre": "3",
    },
    {
        "titre": "Budget annexe de l'assainissement",
        "contenu": "Section d'exploitation : 1,1 M€, recettes issues de la redevance (2,05 euros par m³, inchangée). Investissements : réhabilitation du réseau rue des Fossés (420 000 euros), télésurveillance des postes de relèvement (60 000 euros). Emprunt de 300 000 euros sur 20 ans. Station d'épuration : conforme, capacité suffisante jusqu'à 2035 environ.",
        "nombre": "4",
    },
    {
        "titre": "Prévention des risques d'inondation",
        "contenu": "Rappel de la crue de janvier. Les zones inondables de la commune (plan de prévention). Le système d'alerte par SMS : comment s'inscrire. Les bons gestes avant, pendant et après. Les aides pour adapter son logement. Le rôle des réservistes communaux.",
        "nombre": "6",
    },
    {
        "titre": "Résultats de l'enquête de satisfaction des usagers",
        "contenu": "512 réponses. Satisfaction globale : 78 %. Points forts : amabilité de l'accueil (91 %), propreté des locaux. Points faibles : horaires d'ouverture (52 % souhaitent une ouverture le samedi), attente au téléphone. Actions proposées : ouverture un samedi matin sur deux, rappel automatique.",
        "nombre": "3",
    },
    {
        "titre": "Le conseil municipal en bref",
        "contenu": "Rôle du conseil, nombre d'élus (27), commissions, fréquence des séances, publicité des débats, comment assister à une séance.",
        "nombre": "2",
    },
    {
        "titre": "Plan de formation des agents",
        "contenu": "Constat : 46 demandes de formation, budget de 18 000 euros.\nPriorités : sécurité (habilitations électriques, premiers secours), accueil des publics, outils numériques.\nModalités : formations du CNFPT en priorité, formations internes par des agents référents.\nSuivi : entretien annuel, bilan au comité social territorial.",
        "nombre": "4",
    },
    {
        "titre": "Inauguration de la maison de santé",
        "contenu": "Historique du projet depuis 2021. Les professionnels installés : 4 médecins, 2 infirmières, 1 kinésithérapeute, 1 orthophoniste. Coût 2,3 M€ dont 60 % de subventions. Remerciements aux partenaires.",
        "nombre": "4",
    },
    {
        "titre": "Sensibilisation au harcèlement scolaire (parents)",
        "contenu": "Qu'est-ce que le harcèlement. Signes qui doivent alerter. Que faire si mon enfant est victime ou témoin. Numéro national 3018. Les actions menées dans les écoles de la commune. Ressources.",
        "nombre": "5",
    },
    {
        "titre": "Dotations de l'État : ce qui change",
        "contenu": "Baisse de la dotation globale de fonctionnement de 3 %. Fonds vert réduit. Nouvelle répartition de la dotation de solidarité rurale. Conséquences pour notre budget : -95 000 euros de recettes.",
        "nombre": "3",
    },
    {
        "titre": "Rénovation de la salle des fêtes",
        "contenu": "État des lieux : isolation inexistante, chauffage électrique, cuisine non conforme, accessibilité partielle.\nProgramme : isolation, pompe à chaleur, nouvelle cuisine, sanitaires accessibles, scène modulable.\nCoût : 870 000 euros HT.\nFinancements : DETR, région, fonds vert, 35 % restant à la charge de la commune.\nFermeture pendant les travaux : 8 mois ; solutions de repli pour les associations.",
        "nombre": "5",
    },
    {
        "titre": "Campagne de stérilisation des chats errants",
        "contenu": "Convention avec une association de protection animale et deux vétérinaires. 40 chats prévus. Coût pour la commune : 3 000 euros. Capture par l'association, identification au nom de l'association.",
        "nombre": "2",
    },
    {
        "titre": "Séminaire des élus : projet de mandat",
        "contenu": "Axe 1 : transition écologique (rénovation des bâtiments, mobilités douces, alimentation).\nAxe 2 : solidarités (seniors, jeunesse, logement).\nAxe 3 : cadre de vie (centre-bourg, espaces publics, sécurité).\nAxe 4 : démocratie locale (budget participatif, conseils de quartier).\nMéthode : une fiche projet par action, un élu référent, un calendrier.\nPrévoir une diapositive de conclusion avec les prochaines étapes.",
        "nombre": "7",
    },
    {
        "titre": "Fonctionnement du portail citoyen",
        "contenu": "Créer un compte. Faire un signalement (voirie, propreté, éclairage). Suivre sa demande. Délais de traitement visés : 48 h pour une prise en compte, 15 jours pour une intervention courante.",
        "nombre": "3",
    },
    {
        "titre": "Programme de l'été jeunesse",
        "contenu": "Accueil de loisirs 3-11 ans du 7 juillet au 29 août. Stages sportifs 11-15 ans (voile, escalade, VTT). Deux mini-camps. Chantier jeunes 16-17 ans rémunéré en bons d'achat. Tarifs selon le quotient familial. Inscriptions à partir du 2 juin sur le portail famille.",
        "nombre": "5",
    },
    {
        "titre": "Retour d'expérience : l'épisode neigeux de février",
        "contenu": "Chronologie : alerte météo le lundi, 25 cm de neige le mardi. Moyens engagés : 2 saleuses, 8 agents en astreinte, 40 tonnes de sel. Ce qui a fonctionné : déneigement des axes prioritaires avant 7 h, message aux habitants. Ce qui n'a pas fonctionné : trottoirs des écoles, information des transports scolaires, stock de sel épuisé le troisième jour. Améliorations proposées : convention avec des agriculteurs, stock de sel doublé, liste de diffusion aux parents.",
        "nombre": "8",
    },
]
