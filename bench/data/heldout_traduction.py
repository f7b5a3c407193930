# ruff: noqa: E501  (data: one case per line reads better than wrapped strings)
"""Held-out source texts for the traduction (bench_assistants.py --heldout): written before any
tuning on them and never used to tune the prompt or the checks. Varied forms and languages: a
twin town's e-mail, a grant call with headings and lists, a Markdown table, a German notice, a
Spanish request, an Italian programme, a Dutch message (« autre »), times in am/pm, short and
long texts."""

from __future__ import annotations

from typing import Any

TRADUCTION: list[dict[str, Any]] = [
    {
        "texte": "Dear Madam Mayor,\n\nFollowing our call last week, I am pleased to confirm that a group of 18 pupils and 3 teachers from Kingsbridge Community School will visit Démoville from 14 to 18 April. The group will arrive by coach at around 4 pm on Monday. We would be grateful if the town hall could host a short welcome reception and suggest a few activities for the Wednesday afternoon.\n\nPlease let me know who will be our contact person on site.\n\nBest wishes,\nRachel Owens\nHead of Modern Languages",
        "langue": "anglais",
    },
    {
        "texte": "# Small Grants Programme 2026\n\n## Who can apply\n\n- Registered non-profit associations based in the district\n- Parish and town councils\n\n## What we fund\n\nProjects that bring residents together: community gardens, repair cafés, local festivals. Grants range from €500 to €3,000.\n\n## Deadline\n\nApplications close at 5 pm on 30 September. Late applications will not be accepted.",
        "langue": "anglais",
    },
    {
        "texte": "Sehr geehrte Damen und Herren,\n\nunser Chor aus Lörrach (32 Sängerinnen und Sänger) möchte im Juni ein Konzert in Ihrer Kirche geben. Der Eintritt wäre frei, Spenden gehen an eine örtliche Hilfsorganisation. Wäre die Kirche am Samstag, dem 20. Juni, verfügbar? Wir bräuchten außerdem einen Raum zum Umziehen.\n\nMit freundlichen Grüßen\nMarkus Weber, Vorsitzender",
        "langue": "allemand",
    },
    {
        "texte": "| Event | Date | Venue |\n|---|---|---|\n| Opening concert | 3 July, 8 pm | Market square |\n| Children's workshop | 4 July, 10 am | Library |\n| Farewell dinner | 5 July, 7:30 pm | Town hall |",
        "langue": "anglais",
    },
    {
        "texte": "Buenos días:\n\nMe llamo Lucía y vivo en Démoville desde hace dos meses. Quisiera saber si el ayuntamiento ofrece clases de francés para adultos y cuánto cuestan. Trabajo por las mañanas, así que preferiría clases por la tarde.\n\nMuchas gracias por su ayuda.",
        "langue": "espagnol",
    },
    {
        "texte": "The recycling centre will be closed on Saturday for maintenance.",
        "langue": "anglais",
    },
    {
        "texte": "### Terms and conditions for hall hire\n\n1. The hirer must be at least 21 years old.\n2. A deposit of €400 is required at booking.\n3. The hall must be vacated by 1 am; music must stop at midnight.\n4. Any damage will be deducted from the deposit.\n5. Smoking is not permitted anywhere inside the building.",
        "langue": "anglais",
    },
    {
        "texte": "Programma della visita della delegazione di Castelnuovo:\n\n- venerdì sera: cena di benvenuto offerta dal comitato di gemellaggio\n- sabato mattina: visita del mercato e del centro storico\n- sabato pomeriggio: partita di calcio amichevole tra le squadre giovanili\n- domenica: partenza dopo la colazione\n\nLa delegazione sarà composta da 26 persone, tra cui il sindaco e due assessori.",
        "langue": "italien",
    },
    {
        "texte": "Hi,\n\nI'm an Erasmus student staying in Démoville until June. My bike was stolen outside the station yesterday. Do I need to report it to the town hall or to the police? I don't speak much French yet.\n\nThanks a lot,\nJonas",
        "langue": "anglais",
    },
    {
        "texte": "Beste mevrouw, meneer,\n\nWij zijn een Nederlandse familie en willen in augustus twee weken kamperen in uw gemeente. Is er een camping in de buurt die honden toelaat? Kunt u ons ook informatie sturen over de markt en de fietsroutes?\n\nMet vriendelijke groet,\nfamilie De Vries",
        "langue": "autre",
    },
    {
        "texte": "## Minutes of the twinning committee (joint meeting)\n\nPresent: 6 members from Ashford, 5 from Démoville.\n\nThe committee agreed to organise a youth football tournament in May next year. Each town will pay for its own travel. The Ashford side will look for host families; the Démoville side will book the stadium.\n\nNext meeting: online, early January.",
        "langue": "anglais",
    },
    {
        "texte": "Die Grundschule Am Lindenhof sucht eine Partnerschule in Frankreich für einen Briefwechsel zwischen Kindern der 4. Klasse. Die Kinder lernen seit einem Jahr Französisch. Ein Besuch ist für das nächste Schuljahr geplant.",
        "langue": "allemand",
    },
    {
        "texte": "Notice to residents: water supply interruption\n\nDue to urgent repairs on the main pipe, water will be cut off on Thursday from 9 am to 3 pm in the following streets: Church Lane, Oak Road and Station Avenue. Bottled water will be available at the community centre. We apologise for the inconvenience.",
        "langue": "anglais",
    },
    {
        "texte": "Estimado señor alcalde:\n\nLe escribo en nombre de la asociación cultural Raíces, que organiza cada año una semana de cine español. Nos gustaría proponer la proyección de tres películas en la sala municipal en noviembre, con subtítulos en francés. La asociación se encargaría de los derechos de proyección.\n\nAtentamente,\nCarmen Ortega, presidenta",
        "langue": "espagnol",
    },
    {
        "texte": "- Opening hours: Tuesday to Saturday, 10 am to 6 pm\n- Closed on Sundays, Mondays and public holidays\n- Free admission for under 18s\n- Guided tours on request (groups of 10 or more)",
        "langue": "anglais",
    },
    {
        "texte": "We regret to inform you that the Christmas market will not take place this year due to the renovation of the square. Stallholders who have already paid their fee will be fully refunded by the end of the month. We hope to welcome you again next winter.",
        "langue": "anglais",
    },
    {
        "texte": "Gentile ufficio del turismo,\n\nsiamo un gruppo di 12 ciclisti di Torino e passeremo da Démoville il 9 settembre. Potete consigliarci un posto dove mangiare a mezzogiorno e un'officina per biciclette in caso di guasti?\n\nGrazie mille,\nPaolo",
        "langue": "italien",
    },
    {
        "texte": "# Energy saving plan\n\nThe council has set a target of reducing energy use in public buildings by 15% within three years.\n\n## Measures\n\n| Building | Measure | Expected saving |\n|---|---|---|\n| Town hall | Heating set to 19 °C | 8% |\n| Sports hall | LED lighting | 20% |\n| Library | Roof insulation | 12% |\n\nProgress will be reported to the council every six months.",
        "langue": "anglais",
    },
    {
        "texte": "Liebe Freundinnen und Freunde aus Démoville,\n\nherzlichen Dank für die wunderbaren Tage beim Weinfest! Die Fotos sind jetzt online. Wir freuen uns schon auf Ihren Besuch im Oktober.\n\nIhr Partnerschaftskomitee Bad Waldsee",
        "langue": "allemand",
    },
    {
        "texte": "Job vacancy: part-time librarian (20 hours per week)\n\nThe town library is looking for a friendly and organised person to welcome visitors, lend books and run reading sessions for children on Wednesday mornings. Experience with library software is a plus. Send your CV and a cover letter by 15 March.",
        "langue": "anglais",
    },
]
