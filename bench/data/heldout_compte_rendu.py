# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out meeting notes for the compte-rendu (bench_assistants.py --heldout): written before
any tuning on them and never used to tune the prompt or the checks. Varied forms: telegraphic
bullet notes, a raw transcription with hesitations, formal notes with numbered items, a phone
call summary, a site visit, a short team stand-up, long notes with several decisions; with and
without a date, named and unnamed participants (fictitious names)."""

from __future__ import annotations

from typing import Any

COMPTE_RENDU: list[dict[str, Any]] = [
    {
        "titre": "Réunion de préparation – forum des associations",
        "date": "2025-08-26",
        "notes": "Présents : Mme Royer (adjointe vie associative), M. Tessier (service des sports), Mme Colin (communication), 4 représentants d'associations.\n- date confirmée : samedi 6 septembre, 10 h–17 h, gymnase Pierre de Coubertin\n- 52 associations inscrites (48 l'an dernier)\n- démonstrations sur le parking : judo, danse, escrime ; besoin d'un tapis supplémentaire → M. Tessier voit avec le club de judo\n- plan des stands : Mme Colin l'envoie aux associations le 1er septembre\n- buvette tenue par le comité des fêtes\n- question des places de parking pour les exposants : pas tranché",
    },
    {
        "titre": "Échange téléphonique avec le bailleur social",
        "notes": "Appel de Mme Besson (Habitat Sud) ce matin. Les travaux d'isolation de la résidence Les Peupliers commencent le 3 novembre pour 5 mois. Elle demande si la commune peut prêter la salle du Parc pour une réunion d'information des locataires, plutôt un soir de semaine. Je lui ai dit que je vérifiais les disponibilités et la rappelais avant vendredi. Elle signale aussi des dépôts sauvages récurrents derrière le bâtiment B, elle souhaite un passage des services techniques.",
    },
    {
        "titre": "Conseil de quartier Centre – séance plénière",
        "date": "2025-10-09",
        "notes": "[transcription automatique]\nbon alors euh bonsoir à tous merci d'être venus on est une trentaine ce soir c'est bien. Premier point la rue Gambetta. Donc comme vous savez la vitesse c'est un problème, on a fait des comptages en juin, 2 800 véhicules par jour et 15 % au-dessus de 50. M. Ferrand, services techniques : on propose une écluse au niveau de la boulangerie et un plateau devant l'école, coût autour de 45 000 euros, ce serait pour le budget de l'an prochain. Une habitante : et les vélos ? Réponse : un double sens cyclable est à l'étude. Deuxième point les illuminations de Noël, le conseil de quartier a 3 000 euros de budget, on vote : majorité pour des guirlandes sur la place plutôt que dans la rue. Mme Aubert se propose pour faire le lien avec le comité des fêtes. Voilà euh prochaine séance en janvier, date à fixer.",
    },
    {
        "titre": "Point hebdo service état civil",
        "notes": "Sabrina : 3 mariages samedi, tout est prêt. Olivier en congé la semaine prochaine, Sabrina le remplace pour les décès. Logiciel : la mise à jour de jeudi a bloqué l'édition des actes pendant 2 h, ticket ouvert chez l'éditeur. Rappel : les livrets de famille vierges arrivent bientôt à épuisement, commande à faire.",
    },
    {
        "titre": "Visite de chantier – extension du restaurant scolaire",
        "date": "2025-04-15",
        "notes": "Présents : M. Lemaire (maître d'œuvre), M. Guerin (entreprise Batimo, gros œuvre), Mme Vidal (DST), M. Carpentier (adjoint aux travaux).\n1. Avancement : fondations terminées, élévation des murs à 60 %.\n2. Découverte d'une canalisation non répertoriée côté cour : dévoiement nécessaire, devis de Batimo attendu sous 10 jours.\n3. Sécurité : la clôture de chantier a été déplacée par des élèves pendant la récréation ; M. Guerin la fixe dès demain.\n4. Planning : livraison maintenue au 22 août sous réserve du point 2.\nProchaine visite le 29 avril à 9 h.",
    },
    {
        "titre": "Réunion avec les commerçants du marché",
        "notes": "Présents : le placier, 11 commerçants non sédentaires, M. Hubert (adjoint au commerce). Les commerçants se plaignent de l'emplacement provisoire pendant les travaux de la place : moins de passage. M. Hubert rappelle que les travaux durent jusqu'en mars. Proposition retenue : panneaux de fléchage depuis la rue principale, installés par les services techniques. Les commerçants demandent une baisse des droits de place pendant les travaux : M. Hubert présentera la demande au prochain conseil municipal. Le fromager signale que l'arrivée d'eau ne fonctionne pas.",
    },
    {
        "titre": "Cellule de crise – épisode de crue",
        "date": "2025-01-27",
        "notes": "6 h 30, mairie. Présents : le maire, la DGS, le chef de la police municipale, le responsable des services techniques, un représentant des pompiers.\nNiveau de la rivière : 3,10 m à 6 h, vigilance orange crues.\nDécisions : fermeture de la route du Moulin et du parking des Berges ; évacuation préventive du camping (8 caravanes occupées) ; ouverture du gymnase comme lieu d'accueil.\nLa police municipale fait le porte-à-porte rue Basse. Les services techniques posent les barrières avant 7 h 30. La DGS prévient les écoles et publie un message sur le site et les réseaux.\nPoint de situation à 12 h.",
    },
    {
        "titre": "Comité de suivi du contrat de ruralité",
        "notes": "Réunion en visio avec la sous-préfecture et la communauté de communes. Trois projets de la commune retenus : rénovation de la salle polyvalente, liaison douce vers le collège, tiers-lieu. Pour la liaison douce, le dossier de subvention est incomplet (manque l'étude de sol). La communauté de communes propose de mutualiser l'étude avec la commune voisine. Pas de décision sur le tiers-lieu, le plan de financement doit être revu.",
    },
    {
        "titre": "Réunion d'équipe – médiathèque",
        "date": "2025-06-02",
        "notes": "Présents : Annie, Bruno, Chloé, Damien.\nBilan du prix des lecteurs : 64 votants.\nÉté : ouverture réduite du 14 juillet au 15 août (mardi, mercredi, samedi). Damien fait l'affiche.\nPortage de livres à domicile : 7 bénéficiaires, Chloé propose de le présenter au CCAS pour toucher d'autres personnes âgées.\nDésherbage des documentaires jeunesse à finir avant la rentrée.\nBruno absent en juillet.",
    },
    {
        "titre": "Entretien annuel de la convention avec le club de football",
        "notes": "M. Delorme (président du club) et Mme Royer. Le club compte 260 licenciés, dont 40 filles, en hausse. Il demande un second vestiaire et l'éclairage du terrain synthétique jusqu'à 22 h le vendredi. Mme Royer rappelle que la subvention de 9 000 euros est liée à l'accueil des scolaires le jeudi, que le club n'a pas assuré au dernier trimestre. Le club s'engage à reprendre l'accueil dès la rentrée. La demande de vestiaire sera étudiée dans le plan pluriannuel d'investissement.",
    },
    {
        "titre": "Réunion de lancement – refonte du site internet",
        "date": "2025-02-18",
        "notes": "Présents : DGS, Mme Colin (communication), M. Navarro (informatique), l'agence WebCité (2 personnes).\nObjectifs : démarches en ligne plus visibles, accessibilité (RGAA), actualités plus faciles à publier.\nL'agence présente la méthode : ateliers avec les services en mars, maquettes en avril, mise en ligne visée en septembre.\nM. Navarro demande que l'hébergement reste en France : accord.\nMme Colin recense les pages les plus consultées et les transmet à l'agence d'ici au 28 février.\nQuestion ouverte : migration des anciennes actualités.",
    },
    {
        "titre": "Point budget CCAS",
        "notes": "Aides facultatives : 31 000 euros engagés sur 40 000 au 30 septembre. Forte hausse des aides à l'énergie. Proposition : plafonner l'aide énergie à 200 euros par foyer et par an. Décision : validé par la vice-présidente. L'épicerie solidaire demande une rallonge de 2 000 euros, à présenter au conseil d'administration de novembre.",
    },
    {
        "titre": "Réunion publique – projet d'éoliennes",
        "date": "2025-11-20",
        "notes": "Salle des fêtes, environ 120 personnes. Le maire rappelle que la commune n'est pas porteuse du projet et qu'elle rendra un avis lors de l'enquête publique. Le développeur (société Ventalis) présente 4 machines de 150 m en bout de pale, à 900 m des premières habitations. Nombreuses questions : bruit, impact sur les paysages et sur la valeur des maisons, retombées fiscales (estimées à 35 000 euros par an pour la commune). Un collectif d'habitants remet une pétition de 340 signatures contre le projet. Le maire annonce une consultation des habitants avant l'avis du conseil municipal. Fin à 22 h 10.",
    },
    {
        "titre": "Stand-up équipe informatique",
        "notes": "- migration messagerie : 80 % des boîtes faites, reste les élus\n- imprimante accueil HS, technicien demain\n- Yanis : renouvellement des certificats du site avant le 12\n- sauvegardes OK",
    },
    {
        "titre": "Commission d'accessibilité",
        "date": "2025-05-06",
        "notes": "Présents : M. Fabre (conseiller délégué), Mme Picard (association APF), M. Roche (association des aveugles), Mme Vidal (DST).\nBilan de l'agenda d'accessibilité : 14 bâtiments sur 19 mis en conformité.\nRestent : église (dérogation demandée), salle du Parc (rampe à poser cet été), stade (vestiaires, travaux prévus l'an prochain), mairie annexe, école des Tilleuls (ascenseur).\nMme Picard signale des trottoirs encombrés par des poubelles rue Jean Jaurès ; M. Fabre fera un rappel aux riverains.\nM. Roche demande des bandes podotactiles aux passages piétons du centre : à chiffrer par Mme Vidal.",
    },
    {
        "titre": "Rencontre avec la directrice de l'EHPAD",
        "notes": "Mme Laine, directrice, reçue par l'adjointe aux solidarités. Difficultés de recrutement d'aides-soignantes, 3 postes vacants. Elle souhaite un partenariat avec la commune pour loger des stagiaires dans les logements communaux vacants. L'adjointe est favorable sur le principe et va vérifier quels logements sont libres. Projet commun : repas intergénérationnel avec l'école en décembre.",
    },
    {
        "titre": "Jury du concours des maisons fleuries",
        "date": "2025-07-11",
        "notes": "Jury : 3 élus, 2 jardiniers municipaux, 1 représentant de la société d'horticulture. 23 participants visités. Catégories : jardin visible de la rue (12), balcon (8), commerce (3). Lauréats désignés, remise des prix au repas des bénévoles de septembre. Remarque : beaucoup de participants ont limité l'arrosage à cause de la sécheresse, le jury propose d'ajouter un critère sur les plantes économes en eau l'an prochain.",
    },
    {
        "titre": "Réunion RH – plan de formation",
        "notes": "DGS, responsable RH (Mme Morel), représentants du personnel. Recueil des besoins : 46 demandes. Priorités retenues : habilitations électriques, premiers secours, accueil des publics difficiles, logiciels. Budget formation 18 000 euros, en baisse. Les représentants du personnel demandent que chaque agent ait au moins une formation tous les deux ans. Mme Morel présentera le plan au comité social territorial.",
    },
    {
        "titre": "Préparation du 14 juillet",
        "date": "2025-06-24",
        "notes": "Présents : M. Blanchard (adjoint aux fêtes), chef de la police municipale, pompiers, comité des fêtes.\nDéroulé : retraite aux flambeaux 21 h 30 depuis la mairie, feu d'artifice 23 h au stade, bal ensuite.\nSécurité : périmètre de 100 m autour du pas de tir, 2 secouristes, navette gratuite depuis le centre.\nLe comité des fêtes tient la buvette ; vente d'alcool limitée à la bière et au vin.\nEn cas de vigilance orange orages : report au 15 juillet, décision prise par le maire à 17 h.",
    },
    {
        "titre": "Réunion de coordination – rentrée scolaire",
        "notes": "Présents : service enfance, restauration, entretien, transports. Effectifs : 412 élèves (-9). Deux nouveaux ATSEM arrivent le 25 août. Le menu de la semaine de rentrée est validé. Les circuits du car scolaire ne changent pas. Problème : le portail famille n'affiche pas encore les tarifs de l'année, à corriger avant l'ouverture des réservations. La responsable entretien signale que le ménage de fin d'été de l'école Curie ne sera pas fini à temps sans renfort.",
    },
]
