"""A second held-out set, written before any change to the recognizers of this session.

Two parts, in the markup of ``make_pii_set.py`` (titles outside the PERSON markup):
- ``UNSEEN_DEV``: may be looked at while improving the recognizers (its figures before and
  after a change are reported, so they measure the gain on these very texts);
- ``UNSEEN_FINAL``: scored once before and once at the very end, never read while tuning —
  the honest estimate on unseen phrasing.

Genres the first sets lacked: meeting transcripts as Whisper writes them (no punctuation,
numbers in words, lower case), social workers' shorthand, council minutes with lists of
names and proxies, informal citizen e-mails with typos. Every person and number is synthetic;
identifiers carry valid checksums (checked by ``make_pii_set.verify``).
"""

from __future__ import annotations

UNSEEN_DEV = [
    # --- citizen e-mails
    "Bonjour,\nje me permet de vous relancer concernant la demande de logement social de mon "
    "fils [[PERSON:Kévin]] deposée en janvier. il vit toujours chez nous au [[ADDRESS:17 rue "
    "Paul Bert, 24000 Périgueux]]. merci de me tenir informée\n[[PERSON:Sandrine Lafaye]]",
    "Objet : Inscription école\n\nMadame, Monsieur,\nNous venons d'arriver sur la commune et "
    "souhaitons inscrire notre fille [[PERSON:Maïwenn]] (née le [[DATE:23/08/2019]]) en grande "
    "section. Vous pouvez me joindre au [[PHONE:06 51 27 88 40]].\nBien cordialement,\n"
    "[[PERSON:Gwendal Le Bihan]]",
    "bonjour je voudrais savoir pourquoi ma demande de carte d'identité n'avance pas. mon nom "
    "est [[PERSON:Rodrigues Ana Paula]], dossier déposé le [[DATE:4 septembre]]. "
    "merci",
    "Madame la Maire,\nJe vous écris au sujet du bruit causé chaque nuit par le bar situé au "
    "[[ADDRESS:2 place du Marché]]. Mes voisins, M. et Mme [[PERSON:Fontaine]], ont déjà "
    "appelé la police municipale à plusieurs reprises.\nRespectueusement,\n[[PERSON:Colette "
    "Brisson]]\n[[ADDRESS:5 bis rue des Tanneurs\n37000 Tours]]",
    "Salut, c'est [[PERSON:Nadège]] de l'asso des parents d'élèves. Tu peux transmettre à "
    "[[PERSON:Fabrice]] le mail de la trésorière ([[EMAIL:tresorerie.ape.vitre@gmail.com]]) ? "
    "Bises",
    "Bonjour, suite à mon appel de ce matin, voici mon RIB pour le remboursement de la caution "
    "de la salle des fêtes : [[IBAN:FR76 5226 7594 1709 8725 7755 338]]. Titulaire : "
    "[[PERSON:Jean-Luc Poitevin]]. Cordialement",
    "Je soussigné [[PERSON:Abdelkader Benyoucef]], né le [[DATE:12 juin 1957]] à Oran, "
    "demeurant [[ADDRESS:résidence Les Tilleuls, bât C, 40 avenue Jean Jaurès, 31200 "
    "Toulouse]], certifie sur l'honneur l'exactitude des renseignements fournis.",
    "Bonsoir, ma mère Mme [[PERSON:Raymonde Chassagne]] est décédée le [[DATE:2 février "
    "2024]]. Pouvez-vous m'indiquer la marche à suivre pour la concession au cimetière ? "
    "[[PERSON:Pascal Chassagne]], [[PHONE:+33 6 36 52 59 07]]",
    # --- social-work notes
    "VAD le [[DATE:14/03]] chez Mme [[PERSON:Benhamou]] ([[PERSON:Samia]]), 38 ans, 3 enfants "
    "([[PERSON:Rayan]] 12 ans, [[PERSON:Lina]] 9 ans, [[PERSON:Adam]] 4 ans). Logement "
    "insalubre, humidité. Orientation vers le FSL. Prochain RDV [[DATE:lundi 25 mars]].",
    "Entretien avec M. [[PERSON:Gomis]] : sortie d'hospitalisation, isolement important. Sa "
    "sœur [[PERSON:Fatou]] passe 2 fois par semaine. Demande APA en cours (dossier transmis au "
    "CD le [[DATE:3 avril 2024]]).",
    "Situation [[PERSON:LEROUX Mickaël]] : RSA suspendu depuis le [[DATE:1er mai]], dette de "
    "loyer 2 340 €. Bailleur : Habitat 46. NIR [[NIR:1 88 02 19 109 347 76]]. Accompagnement "
    "budgétaire proposé.",
    "Note : appel de l'école, [[PERSON:Enzo]] (CM1) arrive régulièrement sans avoir mangé. La "
    "maman, Mme [[PERSON:Delcourt]], ne répond pas au téléphone. Informations préoccupantes "
    "à envisager avec la PMI.",
    "Mme [[PERSON:Ngo Thi Lan]] souhaite une aide pour remplir sa demande de naturalisation. "
    "RDV fixé [[DATE:jeudi 11 avril]] 14h avec l'écrivain public. Interprète : Mme [[PERSON:"
    "Tran]] ? à confirmer.",
    "CR commission aides facultatives du [[DATE:05/06/2024]] : dossier [[PERSON:Boulanger]] "
    "accordé (150 €), dossier [[PERSON:Yildiz]] ajourné (pièces manquantes), dossier "
    "[[PERSON:Moreira]] refusé (ressources au-dessus du barème).",
    # --- council minutes
    "Étaient présents : [[PERSON:Marc Aubry]], maire, [[PERSON:Christine Vial]], [[PERSON:Didier "
    "Roussel]], [[PERSON:Sonia Meftah]], [[PERSON:Guy Lapeyre]], adjoints. Absents excusés : "
    "[[PERSON:Françoise Teyssier]] (pouvoir à [[PERSON:Christine Vial]]), [[PERSON:Bruno "
    "Cayla]]. Secrétaire de séance : [[PERSON:Sonia Meftah]].",
    "Le Maire expose que M. [[PERSON:Hubert Delpeuch]], propriétaire de la parcelle AB 112 "
    "située [[ADDRESS:lieu-dit Le Bourg Haut]], propose de céder à la commune une bande de "
    "terrain de 45 m² pour l'élargissement de la voie.",
    "Délibération n° 2024-31 – Dénomination de voie. Sur proposition de Mme [[PERSON:Perrot]], "
    "le conseil décide de nommer la nouvelle voie du lotissement « allée Germaine Tillion ».",
    "Question diverse : M. [[PERSON:Laborie]] demande où en est le dossier de la maison "
    "abandonnée du [[ADDRESS:23 rue de la Poste]]. Mme la Maire répond qu'une procédure de "
    "bien sans maître est engagée.",
    "Vote : pour 15, contre 2 (M. [[PERSON:Ribeiro]], Mme [[PERSON:Gaillard-Moulin]]), "
    "abstention 1 ([[PERSON:Pierre-Yves Corre]]).",
    # --- meeting transcripts, as Whisper writes them
    "bon on commence madame [[PERSON:Lemaire]] vous avez la parole pour le point trois "
    "oui merci alors la subvention à l'association des parents d'élèves de l'école jean moulin "
    "on propose mille deux cents euros",
    "donc [[PERSON:Stéphane]] tu rappelles monsieur [[PERSON:Vergnes]] il habite au "
    "[[ADDRESS:quatorze chemin des Crêtes]] c'est pour la fuite d'eau sur le compteur "
    "il a appelé mardi dernier non lundi enfin bref",
    "alors la réunion publique aura lieu le [[DATE:jeudi dix-sept octobre]] à la salle des "
    "fêtes à dix-huit heures trente et c'est [[PERSON:Nathalie Combes]] qui anime",
    "oui bonjour c'est [[PERSON:Gilbert Massip]] je vous appelle pour le permis de construire "
    "de mon garage vous pouvez me rappeler au [[PHONE:zéro six douze quarante-cinq "
    "trente-trois quatre-vingt-dix-huit]] merci au revoir",
    "on a reçu le courrier de maître [[PERSON:Castagné]] pour la succession de madame "
    "[[PERSON:Roques]] décédée le [[DATE:trois janvier]] il faudrait qu'on réponde avant la "
    "fin du mois",
    "et pour le marché de noël [[PERSON:Jérémy]] et [[PERSON:Audrey]] s'occupent des chalets "
    "[[PERSON:Mathilde]] fait la communication et moi je vois avec la sécurité",
    "la famille [[PERSON:Ferreira]] a déménagé ils sont maintenant au [[ADDRESS:huit impasse "
    "des Lavandières]] il faut changer l'adresse pour la cantine des enfants",
    "monsieur le maire je voulais signaler que [[PERSON:Jacques Peyrot]] le voisin de madame "
    "[[PERSON:Cabrol]] a encore brûlé des déchets verts dans son jardin",
    # --- agents' prompts and internal notes
    "Rédige une réponse à M. [[PERSON:Olivier Dambrine]] qui conteste son avis de stationnement "
    "(véhicule [[PLATE:NZ-498-JF]], le [[DATE:18 janvier 2025]] place de la Halle).",
    "Résume ce mail de Mme [[PERSON:Cordier]] : elle demande un échéancier pour sa facture de "
    "cantine de 312 € et indique être au chômage depuis le [[DATE:15 novembre]].",
    "reformule : suite à votre demande du [[DATE:12/02/2025]] nous vous informons que votre "
    "dossier est complet mme [[PERSON:ouali]]",
    "Traduis en anglais pour M. [[PERSON:Oluwaseun Adeyemi]] : votre rendez-vous est fixé au "
    "[[DATE:mercredi 5 mars]] à 9 h en mairie, munissez-vous de votre passeport.",
    "Peux-tu corriger ce courrier : « Madame [[PERSON:Bouchet]], nous avons bien reçu votre "
    "demande d'autorisation de voirie pour le [[ADDRESS:9 quai de la Daurade, 31000 "
    "Toulouse]]. »",
    # --- HR and suppliers
    "Arrêté portant recrutement de M. [[PERSON:Quentin Ducasse]] en qualité d'adjoint "
    "technique territorial stagiaire à compter du [[DATE:1er septembre 2024]].",
    "Fiche agent – [[PERSON:MARTY Élodie]] – NIR [[NIR:2 75 01 19 929 539 08]] – IBAN "
    "[[IBAN:FR76 9007 7660 4721 2476 2406 913]] – tél. [[PHONE:05 23 53 63 03]].",
    "Entretien professionnel de [[PERSON:Sébastien Faure]] réalisé par [[PERSON:Laetitia "
    "Gimenez]], responsable du service technique.",
    "Facture n° F-2024-0912 de Ramonage Quercy Services (SIRET [[SIRET:498 624 766 001 49]]) "
    "pour l'entretien des cheminées de l'école.",
    "Devis accepté : Menuiserie Alu Sud, SIREN [[SIREN:439616277]], contact [[PERSON:Karine "
    "Soulié]] ([[EMAIL:k.soulie@menuiseriealusud.fr]]).",
    # --- police municipale, payments, misc
    "Procès-verbal de constatation : le [[DATE:samedi 8 juin 2024]] vers 23 h, le véhicule "
    "[[PLATE:MV-244-KV]] stationnait sur l'emplacement réservé aux personnes handicapées devant "
    "le [[ADDRESS:11 boulevard Carnot]]. Propriétaire : [[PERSON:Rachid Amrani]].",
    "Paiement par carte [[CARD:4974 9743 4708 5375]] refusé pour la réservation du gîte "
    "communal, merci de contacter [[PERSON:Léna Durif]] au [[PHONE:06.28.45.84.10]].",
    "Objets trouvés : un portefeuille au nom de [[PERSON:Thierry Vabre]] déposé à l'accueil le "
    "[[DATE:27/05/2024]].",
    "Le bulletin municipal est distribué dans toutes les boîtes aux lettres au début de chaque "
    "trimestre.",
    "Pensez à réserver la salle du conseil pour la commission urbanisme de jeudi prochain.",
    "Horaires d'été de la piscine : du lundi au samedi de 10 h à 19 h, fermée le dimanche matin.",
    "Suite au conseil d'école, Mme la Directrice a demandé l'installation d'un second "
    "sèche-mains dans les sanitaires.",
    "Contact : [[PERSON:Marie-Thérèse Bousquet]], [[ADDRESS:Hameau de Laval, 46330 "
    "Saint-Cirq-Lapopie]], [[EMAIL:mt.bousquet@orange.fr]].",
    "Bonjour [[PERSON:Yann]], peux-tu vérifier l'adresse de M. [[PERSON:Kerjean]] ? Le "
    "courrier est revenu : [[ADDRESS:3 rue du Port, 29900 Concarneau]] n'existe plus.",
]

UNSEEN_FINAL = [
    "Bonjour, je suis la voisine de Mme [[PERSON:Pélissier]] au [[ADDRESS:6 rue des Jardins]]. "
    "Elle ne répond plus depuis deux jours et ses volets sont fermés, pouvez-vous prévenir "
    "quelqu'un ? [[PERSON:Josiane Albouy]] [[PHONE:05 65 22 87 14]]",
    "Madame, Monsieur,\nJe conteste la facture d'eau n° 2024-1182 adressée à mon nom "
    "([[PERSON:Frédéric Naudin]]) pour un logement que j'ai quitté le [[DATE:30 juin "
    "2024]]. Ma nouvelle adresse : [[ADDRESS:22 allée des Érables, 86000 Poitiers]].",
    "coucou c [[PERSON:Lola]] de la médiathèque, Mr [[PERSON:Henri Capdevielle]] a oublié ses "
    "lunettes hier, il repasse jeudi",
    "Demande d'aide au transport scolaire pour [[PERSON:Timéo]] et [[PERSON:Nolan "
    "Besse]], domiciliés chez leur grand-père, M. [[PERSON:René Besse]], [[ADDRESS:lieu-dit La "
    "Pradelle, 19800 Corrèze]].",
    "Note de situation : Mme [[PERSON:Kaba]] ([[PERSON:Aïssatou]]), hébergée en urgence depuis "
    "le [[DATE:20 octobre]], enceinte de 6 mois. Le père, M. [[PERSON:Camara]], est injoignable. "
    "Dossier de domiciliation à ouvrir.",
    "Suivi [[PERSON:DUMAS Gérald]] – curatelle renforcée (mandataire : UDAF) – visite à "
    "domicile prévue le [[DATE:mardi 3 décembre]] – NIR [[NIR:2 99 12 2A 187 173 03]].",
    "Présents : M. [[PERSON:Alain Brouillet]], Mme [[PERSON:Evelyne Sarda]], M. [[PERSON:Tony "
    "Lacaze]], Mme [[PERSON:Inès Bouzid]]. Procuration de M. [[PERSON:Rémi Fabre]] à Mme "
    "[[PERSON:Evelyne Sarda]]. Le quorum est atteint.",
    "Le Maire rappelle la demande de Mme [[PERSON:Véronique Salles]] qui sollicite l'achat du "
    "délaissé communal jouxtant sa propriété du [[ADDRESS:4 chemin de Peyrelevade]].",
    "alors pour le point suivant c'est le dossier de monsieur [[PERSON:Andrieu]] qui demande "
    "une dérogation pour sa clôture au [[ADDRESS:vingt-trois route de Figeac]] le service "
    "urbanisme a donné un avis défavorable",
    "bonjour madame je vous appelle de la part de [[PERSON:Claudine Vidal]] pour le rendez-vous "
    "du [[DATE:lundi quatre novembre]] elle ne pourra pas venir elle est hospitalisée",
    "ok donc on note que [[PERSON:Benoît]] prend la permanence de samedi et [[PERSON:Sarah "
    "Lopes]] celle de dimanche et on en reparle à la réunion du [[DATE:vingt-huit mars]]",
    "le numéro de la dame c'est le [[PHONE:zéro cinq soixante-cinq trente-quatre douze "
    "zéro neuf]] elle s'appelle madame [[PERSON:Bru]] c'est pour l'état des lieux",
    "Réécris plus poliment : M. [[PERSON:Lacroix]] vous n'avez toujours pas payé la cantine de "
    "[[PERSON:Léo]] et [[PERSON:Jules]] depuis le [[DATE:1er octobre]].",
    "Prépare un courrier de convocation pour Mme [[PERSON:Aurore Pinel]], agent de maîtrise, "
    "à un entretien préalable le [[DATE:vendredi 14 février 2025]] à 10 h.",
    "Virement de la subvention à l'association Les Petits Loups : IBAN [[IBAN:FR76 7027 2331 "
    "9478 5981 4143 197]], présidente [[PERSON:Agathe Rivière]].",
    "Attestation employeur pour [[PERSON:Wilfried Nogaret]], né le [[DATE:9 novembre 1979]], "
    "employé en qualité d'agent d'entretien depuis le [[DATE:01/03/2012]].",
    "Le fournisseur Transports Causse et Vallée (SIRET [[SIRET:758 722 516 094 44]]) a livré "
    "le sel de déneigement le [[DATE:13 décembre]].",
    "Contrôle de vitesse route de Cahors : véhicule [[PLATE:EN-023-WK]] flashé à 78 km/h, "
    "conducteur identifié : [[PERSON:Maxence Bories]], [[ADDRESS:31 avenue de la Gare, "
    "46100 Figeac]].",
    "La carte [[CARD:5412 6304 6476 4633]] a été utilisée deux fois pour la même inscription "
    "au centre de loisirs : rembourser Mme [[PERSON:Sylvie Marcouly]].",
    "Le marché de plein air se tient chaque mercredi matin sur la place de l'Église.",
    "Rappel : la collecte des encombrants aura lieu le premier lundi du mois.",
    "Mail de [[PERSON:Hugo Teulière]] ([[EMAIL:hugo.teuliere@laposte.net]]) : il signale un "
    "nid-de-poule dangereux devant le [[ADDRESS:52 rue Émile Zola]].",
    "Pour la cérémonie du [[DATE:11 Novembre]], la gerbe sera déposée par [[PERSON:Lucette "
    "Granier]], doyenne de la commune, accompagnée de M. le Maire.",
    "Le dossier de Mlle [[PERSON:Célia Roumieu]] (bourse communale) est complet : relevé "
    "d'identité bancaire [[IBAN:FR76 5419 8251 6212 3543 8811 027]].",
    "on se retrouve devant la mairie [[PERSON:Christophe]] amène le camion et [[PERSON:Pauline "
    "Garrigues]] les clés du local",
    "Accueil : un monsieur s'est présenté pour [[PERSON:Mme Fernandes]] qui habite "
    "[[ADDRESS:résidence Le Parc, appt 12, 8 rue Voltaire, 81000 Albi]], il dit être son fils.",
]
