"""Data of the demo territory used by `manage.py load_demo`.

The Rive droite of Bordeaux: four communes of Bordeaux Métropole joined in the
Grand Projet des Villes (see /work/shared/demo-territory.md). Page content is
data in French, not UI text, so it is not translated. Residents are invented
but deterministic: the same list comes out of every run.
"""

import random
import unicodedata

HOME = {
    "title": "Rive droite",
    "slug": "accueil",
    "introduction": (
        "<p>Bienvenue sur le wiki de la <b>Rive droite de Bordeaux</b> : Bassens, Lormont, Cenon et Floirac, "
        "quatre communes de Bordeaux Métropole posées face à la Garonne, entre le fleuve et les coteaux.</p>"
        "<p>Réunies dans le Grand Projet des Villes (GPV), elles se transforment depuis vingt ans : "
        "rénovation urbaine, tramway, parc des Coteaux, nouveaux équipements. Ici, les habitants racontent "
        "leurs quartiers, partagent leurs projets et se retrouvent en ateliers.</p>"
    ),
}

SITE_NAME = "Quartiers"

# Communes in the order of the river, north to south; neighbourhoods as (title, introduction).
COMMUNES = [
    {
        "title": "Bassens",
        "insee_code": "33032",
        "population": 7473,
        "postal_code": "33530",
        "introduction": (
            "<p>Bassens s'étire le long de la Garonne, entre son port industriel et les coteaux boisés. "
            "Commune la plus au nord de la Rive droite, elle garde un bourg à taille humaine et de grands "
            "espaces verts.</p><p>Le parc des Coteaux y commence, avec le domaine de Beauval et ses sentiers.</p>"
        ),
        "neighbourhoods": [
            (
                "Le Bourg",
                "<p>Le cœur historique de Bassens, autour de l'église, de la mairie et du marché du samedi.</p>",
            ),
            (
                "Beauval",
                "<p>Un quartier résidentiel au pied du parc de Beauval, apprécié pour ses promenades "
                "et ses vues sur le fleuve.</p>",
            ),
            (
                "Meignan",
                "<p>Quartier de logements collectifs rénovés, avec ses jardins partagés et son centre social "
                "très actif.</p>",
            ),
            (
                "La Gardette",
                "<p>Entre le port et les coteaux, un quartier de maisons et de petits collectifs, "
                "proche de la gare de Bassens.</p>",
            ),
        ],
    },
    {
        "title": "Lormont",
        "insee_code": "33249",
        "population": 24148,
        "postal_code": "33310",
        "introduction": (
            "<p>Lormont domine la Garonne depuis ses coteaux, face au pont d'Aquitaine. La commune a vécu "
            "l'une des plus grandes rénovations urbaines de la métropole, portée par le GPV.</p>"
            "<p>Du vieux bourg aux tours de Génicart, le tramway A relie ses quartiers au centre de Bordeaux.</p>"
        ),
        "neighbourhoods": [
            (
                "Génicart",
                "<p>Grand quartier d'habitat social transformé par la rénovation urbaine, desservi par le tram A. "
                "Ses associations et son pôle culturel en font un lieu très vivant.</p>",
            ),
            (
                "Carriet",
                "<p>Quartier en pleine mutation sur les hauteurs de Lormont, avec de nouveaux logements "
                "et l'espace Bois Fleuri tout proche.</p>",
            ),
            (
                "Le Bourg",
                "<p>Le vieux Lormont, ses ruelles en pente, le château du Prince Noir et les quais "
                "au bord de la Garonne.</p>",
            ),
            (
                "Lissandre",
                "<p>Quartier résidentiel entre les coteaux et la rocade, avec ses écoles et ses petits commerces "
                "de proximité.</p>",
            ),
        ],
    },
    {
        "title": "Cenon",
        "insee_code": "33119",
        "population": 24858,
        "postal_code": "33150",
        "introduction": (
            "<p>Cenon relie le plateau et la plaine de la Rive droite. Le parc Palmer et le Rocher de Palmer, "
            "scène des musiques du monde, en font un lieu culturel reconnu de la métropole.</p>"
            "<p>La gare de Cenon et le tramway A placent la ville à quelques minutes du centre de Bordeaux.</p>"
        ),
        "neighbourhoods": [
            (
                "Palmer",
                "<p>Autour du parc Palmer et du Rocher de Palmer, un quartier rénové dans le cadre du GPV, "
                "entre grands ensembles, jardins et équipements culturels.</p>",
            ),
            (
                "La Marègue",
                "<p>Quartier d'habitat collectif du plateau, où les habitants portent de nombreux projets "
                "de jardins et de fêtes de quartier.</p>",
            ),
            (
                "Le Haut-Cenon",
                "<p>Sur le plateau, autour de la mairie et de la médiathèque, le centre administratif "
                "et commerçant de la ville.</p>",
            ),
            (
                "Camille Pelletan",
                "<p>Dans le bas Cenon, le long de l'avenue Jean-Jaurès, un quartier de maisons bordelaises "
                "proche de la gare.</p>",
            ),
        ],
    },
    {
        "title": "Floirac",
        "insee_code": "33167",
        "population": 18264,
        "postal_code": "33270",
        "introduction": (
            "<p>Floirac s'étend des bords de Garonne aux coteaux de l'Observatoire. La commune accueille "
            "l'Arkéa Arena et un nouveau quartier sur les berges du fleuve.</p>"
            "<p>Ses parcs des coteaux, comme le domaine de la Burthe, offrent une des plus belles vues "
            "sur Bordeaux.</p>"
        ),
        "neighbourhoods": [
            (
                "Dravemont",
                "<p>Quartier d'habitat social des hauts de Floirac, rénové par le GPV, avec son centre "
                "commercial et ses associations de jeunesse.</p>",
            ),
            (
                "La Souys",
                "<p>Quartier des bords de Garonne, ancien site industriel devenu quartier d'habitat et de loisirs.</p>",
            ),
            (
                "Libération",
                "<p>Autour de l'avenue de la Libération, un quartier populaire proche du tram et des écoles.</p>",
            ),
            (
                "Le Bourg",
                "<p>Le centre ancien de Floirac, autour de l'église Saint-Vincent et de la place de la mairie.</p>",
            ),
        ],
    },
]

RESIDENT_PASSWORD = "quartiers-demo"
RESIDENT_COUNT = 50
RESIDENT_EMAIL_DOMAIN = "example.fr"

# The team accounts; the staff account is a superuser so it can do everything in the Wagtail admin.
TEAM = [
    {
        "username": "staff",
        "email": "staff@quartiers.example",
        "password": "quartiers-staff",
        "group": "Staff",
        "pseudonym": "Équipe Quartiers",
        "first_name": "Équipe",
        "last_name": "Quartiers",
        "is_staff": True,
        "is_superuser": True,
    },
    {
        "username": "moderation",
        "email": "moderation@quartiers.example",
        "password": "quartiers-modo",
        "group": "Moderators",
        "pseudonym": "Modération",
        "first_name": "Modération",
        "last_name": "Quartiers",
        "is_staff": False,
        "is_superuser": False,
    },
]

FIRST_NAMES = [
    "Sophie", "Jean-Baptiste", "Nadia", "Karim", "Camille", "Léa", "Thomas", "Fatou", "Mehdi", "Julie",
    "Nicolas", "Aïcha", "Hugo", "Manon", "Yacine", "Chloé", "Pierre", "Inès", "Lucas", "Sarah",
    "Mamadou", "Élodie", "Antoine", "Samira", "Maxime", "Laura", "Rachid", "Émilie", "Kevin", "Marie",
    "Youssef", "Pauline", "Christophe", "Amina", "Sébastien", "Océane", "Bruno", "Leïla", "Damien", "Claire",
    "Franck", "Nathalie", "Moussa", "Sandrine", "Jérôme", "Yasmine", "Théo", "Isabelle", "Loïc", "Hélène",
]  # fmt: skip

LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Garcia", "Da Silva", "Benali", "Diallo",
    "Roux", "Fournier", "Lacoste", "Dupuy", "Lafargue", "Castaing", "Bouchet", "Mendès", "Haddad", "Nguyen",
    "Traoré", "Lopez", "Mercier", "Faure", "Ferreira", "Cazenave", "Labat", "Brunet", "Chevalier", "Ouattara",
    "Boyer", "Gauthier", "Perez", "Lamarque", "Barbier", "Kaci", "Durand", "Guérin", "Sanchez", "Marchand",
]  # fmt: skip


def ascii_slug(text, sep="."):
    """'Jean-Baptiste Da Silva' -> 'jean-baptiste.da.silva' style fragments, ASCII only."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return sep.join(plain.lower().replace("'", "").split())


def _from(place):
    """'Le Bourg' -> 'du Bourg', 'Palmer' -> 'de Palmer' (French contraction)."""
    return f"du {place[3:]}" if place.startswith("Le ") else f"de {place}"


def _pseudonym(rng, first, last, commune, neighbourhood):
    initials = "".join(part[0] for part in first.split("-")) + last[0]
    first_plain = ascii_slug(first, sep="")
    place = neighbourhood or commune or "Bordeaux"
    patterns = [
        f"{first}_{commune or 'RiveDroite'}",
        f"{initials.upper()}33",
        f"{first_plain}.{last[0].lower()}",
        f"{first}{rng.randint(1970, 2008)}",
        f"{first} {_from(place)}",
        f"{first_plain}_{ascii_slug(place, sep='')}",
        f"{initials.upper()}_{commune or 'RD'}",
    ]
    return rng.choice(patterns)


def residents():
    """Fifty invented residents, always the same ones (seeded with 2026).

    Each is a dict: first_name, last_name, username, email, pseudonym, commune
    (INSEE code or None), neighbourhood (title or None), show_on_leaderboard,
    accept_invitations.
    """
    rng = random.Random(2026)
    # (show_on_leaderboard, accept_invitations): 60% and 70% consent, one in ten neither.
    consents = [(True, True)] * 20 + [(True, False)] * 10 + [(False, True)] * 15 + [(False, False)] * 5
    consents = consents[:RESIDENT_COUNT]
    rng.shuffle(consents)
    people, emails, pseudonyms = [], set(), set()
    while len(people) < RESIDENT_COUNT:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local_part = f"{ascii_slug(first)}.{ascii_slug(last)}"
        if local_part in emails:
            continue
        emails.add(local_part)

        commune, neighbourhood = None, None
        where = rng.random()
        if where < 0.95:  # a few residents do not say where they live
            place = rng.choice(COMMUNES)
            commune = place["insee_code"]
            if where < 0.85:  # some give their commune but no neighbourhood
                neighbourhood = rng.choice(place["neighbourhoods"])[0]
        commune_title = next((c["title"] for c in COMMUNES if c["insee_code"] == commune), None)

        pseudonym = _pseudonym(rng, first, last, commune_title, neighbourhood)
        while pseudonym.lower() in pseudonyms:
            pseudonym = f"{pseudonym[:35]}{rng.randint(2, 99)}"
        pseudonyms.add(pseudonym.lower())

        show_on_leaderboard, accept_invitations = consents[len(people) % len(consents)]
        people.append(
            {
                "first_name": first,
                "last_name": last,
                "username": local_part,
                "email": f"{local_part}@{RESIDENT_EMAIL_DOMAIN}",
                "pseudonym": pseudonym,
                "commune": commune,
                "neighbourhood": neighbourhood,
                "show_on_leaderboard": show_on_leaderboard,
                "accept_invitations": accept_invitations,
            }
        )
    return people


# -- Wiki content ------------------------------------------------------------------
#
# Pages are placed under (INSEE code, neighbourhood title or None for the commune
# itself) and written by the resident at index `author` of residents(). Bodies are
# French Markdown with [[wiki links]]; "Maison des jeunes de Dravemont" is the one
# deliberate red link (no page of that title is created). `themes` are slugs of the
# default themes (wiki migration 0005), ticked by the author at creation.

RED_LINK = "Maison des jeunes de Dravemont"

WIKI_PAGES = [
    {
        "title": "Tramway A",
        "themes": ["mobilite"],
        "place": ("33249", None),
        "author": 3,
        "summary": "Première version : tracé, stations et histoire de la ligne",
        "body": """\
La **ligne A du tramway** relie la Rive droite au centre de Bordeaux depuis 2003. Elle traverse [[Lormont]] \
et [[Cenon]] avant de franchir la Garonne sur le pont de Pierre.

## Les stations de la Rive droite

| Station | Commune | Quartier desservi |
|---|---|---|
| La Gardette – Bassens – Carbon-Blanc | Lormont | [[Carriet]], Bassens |
| Buttinière | Lormont | [[Génicart]] |
| Palmer | Cenon | [[Palmer]], [[Rocher de Palmer]] |
| Cenon Gare | Cenon | [[Camille Pelletan]] |
| Jardin botanique | Bordeaux | La Bastide |

## Un peu d'histoire

- 2003 : mise en service jusqu'à la station Buttinière.
- 2008 : prolongement vers La Gardette et Floirac Dravemont.
- Le pôle d'échanges de la Buttinière relie le tram, les bus et un parc relais.

## Bon à savoir

Les rames passent toutes les 5 minutes en heure de pointe. Le parc relais de la Buttinière se remplit \
avant 8 h les jours de semaine.
""",
    },
    {
        "title": "Rénovation urbaine de Génicart",
        "themes": ["logement"],
        "place": ("33249", "Génicart"),
        "author": 30,
        "summary": "Création de la page sur le GPV à Génicart",
        "body": """\
Le quartier de [[Génicart]] a été l'un des grands chantiers du **Grand Projet des Villes** (GPV) de la \
Rive droite, avec [[Palmer]] à Cenon et [[Dravemont]] à Floirac.

## Ce qui a changé

- Démolition de plusieurs barres et construction de petits immeubles et de maisons de ville.
- Réaménagement des espaces publics autour du [[Tramway A]].
- Nouveaux équipements : pôle culturel, salle de sport, centre social.

## Les grandes étapes

| Période | Opération | Logements concernés |
|---|---|---|
| 2002–2008 | Premières démolitions et relogements | environ 400 |
| 2008–2015 | Résidentialisation et nouveaux logements | environ 600 |
| 2015–2024 | Second programme (NPNRU) | en cours |

## Ce que disent les habitants

Beaucoup regrettent les anciens voisins partis ailleurs, mais apprécient les halls rénovés et les espaces \
verts. Les réunions publiques se tiennent au centre social.
""",
    },
    {
        "title": "Parc de l'Ermitage",
        "themes": ["environnement", "sport"],
        "place": ("33249", None),
        "author": 25,
        "summary": "Nouvelle page sur le parc et le lac",
        "body": """\
Le **parc de l'Ermitage** entoure un lac installé dans une ancienne carrière, au pied des falaises de \
[[Lormont]]. C'est un maillon du [[Parc des Coteaux]].

## Y aller

- À pied depuis [[Carriet]] par l'escalier de la rue de l'Ermitage.
- En tram : station La Gardette, puis dix minutes de marche.

## À faire

- Faire le tour du lac (environ 2 km, accessible aux poussettes).
- Observer les hérons et les canards.
- Pique-niquer sur les pelouses au bord de l'eau.

La baignade est interdite.
""",
    },
    {
        "title": "Château du Prince Noir",
        "themes": ["culture"],
        "place": ("33249", "Le Bourg"),
        "author": 4,
        "summary": "Page sur le château",
        "body": """\
Le **château du Prince Noir** domine le vieux bourg de [[Lormont]]. Ancienne résidence des archevêques de \
Bordeaux, il doit son nom à Édouard de Woodstock, le « Prince Noir », qui y aurait séjourné au XIVe siècle.

## Aujourd'hui

Restauré, il accueille des événements et des visites lors des Journées du patrimoine.

## Autour

- Les ruelles en pente du vieux bourg.
- L'église Saint-Martin.
- La vue sur le pont d'Aquitaine.
""",
    },
    {
        "title": "Rocher de Palmer",
        "themes": ["culture"],
        "place": ("33119", "Palmer"),
        "author": 19,
        "summary": "Création : la salle de concerts de Cenon",
        "body": """\
Le **Rocher de Palmer** est la scène des musiques du monde de la métropole, ouverte en 2010 dans le \
[[Parc Palmer]] à [[Cenon]].

## Les salles

| Salle | Places debout | Usage |
|---|---|---|
| 1200 | 1 200 | grands concerts |
| 650 | 650 | concerts et spectacles |
| Salon de musiques | 200 | concerts intimes, bals |

## Pour les habitants

- Des tarifs réduits pour les habitants de la Rive droite.
- Des ateliers de pratique musicale pour les jeunes.
- Le festival de l'été, gratuit, sur les pelouses du parc.

Accès : [[Tramway A]], station Palmer.
""",
    },
    {
        "title": "Parc Palmer",
        "themes": ["environnement"],
        "place": ("33119", "Palmer"),
        "author": 44,
        "summary": "Page sur le parc",
        "body": """\
Le **parc Palmer** est le grand parc de [[Cenon]] : 25 hectares de pelouses, de bois et de jardins \
autour du château Palmer et du [[Rocher de Palmer]].

## Ce qu'on y trouve

- Une aire de jeux pour les enfants près de l'entrée de la rue Camille-Pelletan.
- Le belvédère avec vue sur Bordeaux.
- Des sentiers reliés au [[Parc des Coteaux]].

Le parc est ouvert tous les jours de 8 h à 20 h (21 h 30 en été).
""",
    },
    {
        "title": "Médiathèque de Cenon",
        "themes": ["culture", "education-jeunesse"],
        "place": ("33119", "Le Haut-Cenon"),
        "author": 14,
        "summary": "Création de la page de la médiathèque",
        "body": """\
La **médiathèque** du [[Le Haut-Cenon|Haut-Cenon]] est installée près de la mairie. Elle prête livres, \
BD, films et jeux, et propose un espace numérique.

## Horaires

| Jour | Horaires |
|---|---|
| Mardi | 14 h – 19 h |
| Mercredi | 10 h – 18 h |
| Vendredi | 14 h – 18 h |
| Samedi | 10 h – 17 h |

## Services

- Inscription gratuite pour les habitants de [[Cenon]].
- Heure du conte le mercredi matin.
- Aide aux démarches en ligne le vendredi après-midi.
""",
    },
    {
        "title": "Jardins partagés de Dravemont",
        "themes": ["environnement", "solidarite"],
        "place": ("33167", "Dravemont"),
        "author": 18,
        "summary": "Les jardins partagés du quartier",
        "body": """\
Au pied des immeubles de [[Dravemont]], une quarantaine de parcelles cultivées par les habitants depuis \
la rénovation du quartier.

## Comment avoir une parcelle

1. S'inscrire auprès de l'association des jardiniers (permanence le samedi matin).
2. Attendre qu'une parcelle se libère : la liste d'attente est d'environ un an.
3. Signer la charte : pas de pesticides, arrosage économe, entretien des allées.

## La vie du jardin

- Troc de plants au printemps.
- Récupérateurs d'eau de pluie installés en 2021.
- Des ateliers avec l'école voisine et la [[Maison des jeunes de Dravemont]].
""",
    },
    {
        "title": "Observatoire de Floirac",
        "themes": ["culture", "education-jeunesse"],
        "place": ("33167", None),
        "author": 6,
        "summary": "Page sur l'observatoire",
        "body": """\
Sur les coteaux de [[Floirac]], l'**observatoire astronomique** fondé à la fin du XIXe siècle a longtemps \
été celui de l'université de Bordeaux.

## Le site aujourd'hui

- Le parc et ses coupoles, visibles depuis la rive gauche.
- Des nuits des étoiles et des visites lors des Journées du patrimoine.

Le site fait partie du [[Parc des Coteaux]].
""",
    },
    {
        "title": "Berges de la Souys",
        "themes": ["environnement"],
        "place": ("33167", "La Souys"),
        "author": 22,
        "summary": "Création : les bords de Garonne à Floirac",
        "body": """\
Les berges de [[La Souys]] ont longtemps été occupées par des usines. Depuis quelques années, un chemin \
longe la Garonne, entre roseaux et anciennes cales.

## Se promener

- Départ du chemin de Richelieu, à pied ou à vélo.
- Vue sur le pont Simone-Veil et les quais de Bordeaux.
- Attention aux grandes marées : le chemin peut être inondé.

Voir aussi le projet [[Pistes cyclables des quais]].
""",
    },
    {
        "title": "Parc des Coteaux",
        "themes": ["environnement", "sport"],
        "place": ("33032", None),
        "author": 12,
        "summary": "Le parc des Coteaux, de Bassens à Floirac",
        "body": """\
Le **parc des Coteaux** relie sept parcs sur plus de 400 hectares, de [[Bassens]] à [[Floirac]], le long \
des coteaux qui dominent la Garonne.

## Les parcs, du nord au sud

1. Domaine de Beauval (Bassens)
2. [[Parc de l'Ermitage]] (Lormont)
3. Parc du Cypressat (Cenon)
4. [[Parc Palmer]] (Cenon)
5. Parc de l'Observatoire ([[Observatoire de Floirac]])
6. Domaine de la Burthe (Floirac)

## Le Fil vert

Un sentier balisé de 12 km, le *Fil vert*, permet de passer d'un parc à l'autre à pied.
""",
    },
    {
        "title": "Marché du samedi",
        "themes": ["commerce-emploi"],
        "place": ("33032", "Le Bourg"),
        "author": 43,
        "summary": "Le marché du bourg de Bassens",
        "body": """\
Chaque **samedi matin**, le marché s'installe sur la place de la mairie de [[Bassens]].

## Les habitués

- Les maraîchers de l'Entre-deux-Mers.
- Le poissonnier d'Arcachon.
- Le stand de fromages et le food-truck de crêpes.

Stationnement conseillé sur le parking de la salle des fêtes.
""",
    },
]

PROJECT_PAGES = [
    {
        "title": "Skatepark de Dravemont",
        "themes": ["sport", "education-jeunesse"],
        "place": ("33167", "Dravemont"),
        "author": 20,
        "summary": "Proposition de skatepark pour les jeunes du quartier",
        "facts": {
            "status": "consultation",
            "start_date": "2026-09-01",
            "end_date": "2027-06-30",
            "budget": "180000.00",
            "latitude": "44.834600",
            "longitude": "-0.509800",
        },
        "body": """\
Les jeunes de [[Dravemont]] n'ont aucun espace de glisse à moins de 5 km. Ce projet propose un \
**skatepark** de 800 m² sur le terrain vague derrière le centre commercial.

## Pourquoi

- Un lieu de rencontre pour les 12–25 ans.
- Des cours d'initiation avec un club de la métropole.
- Un espace visible, éclairé et sûr.

## Ce qu'il faut décider ensemble

- Le type de modules (bowl, street, pumptrack).
- Les horaires et l'éclairage.
- La place des riverains : le bruit est une vraie question.
""",
    },
    {
        "title": "Pistes cyclables des quais",
        "themes": ["mobilite", "environnement"],
        "place": ("33249", None),
        "author": 34,
        "summary": "Le projet de continuité cyclable sur les quais",
        "facts": {
            "status": "in_progress",
            "start_date": "2025-03-01",
            "end_date": "2027-12-31",
            "budget": "2400000.00",
            "latitude": "44.876400",
            "longitude": "-0.527600",
        },
        "body": """\
Relier [[Bassens]], [[Lormont]], [[Cenon]] et [[Floirac]] par une **piste cyclable continue** le long de la \
Garonne, séparée de la circulation.

## Les tronçons

| Tronçon | Longueur | État |
|---|---|---|
| Bassens – Lormont bas | 3,1 km | études |
| Lormont bas – pont d'Aquitaine | 1,8 km | travaux |
| Pont de Pierre – [[Berges de la Souys]] | 2,5 km | terminé |

## Points noirs

- Le carrefour sous le pont d'Aquitaine.
- Le passage étroit le long du port de Bassens.
""",
    },
    {
        "title": "Jardin partagé de la Marègue",
        "themes": ["environnement", "solidarite"],
        "place": ("33119", "La Marègue"),
        "author": 42,
        "summary": "Le jardin partagé de la Marègue",
        "facts": {
            "status": "done",
            "start_date": "2023-03-15",
            "end_date": "2024-05-31",
            "budget": "35000.00",
            "latitude": "44.858200",
            "longitude": "-0.514700",
        },
        "body": """\
Un **jardin partagé** de 1 200 m² a ouvert au printemps 2024 au cœur de [[La Marègue]], sur une ancienne \
pelouse interdite au public. Il s'inspire des [[Jardins partagés de Dravemont]].

## Ce qui a été fait

- 24 parcelles individuelles et 4 bacs surélevés accessibles en fauteuil.
- Un abri à outils et un composteur collectif.
- Une fête d'inauguration avec l'école élémentaire.
""",
    },
    {
        "title": "Tiers-lieu jeunesse de Génicart",
        "themes": ["education-jeunesse", "solidarite"],
        "place": ("33249", "Génicart"),
        "author": 23,
        "summary": "Idée : un lieu pour les jeunes",
        "facts": {"status": "idea", "latitude": "44.878900", "longitude": "-0.513200"},
        "body": """\
L'idée : transformer un rez-de-chaussée vide de [[Génicart]] en **tiers-lieu pour les 15–25 ans** : \
espace de travail, studio de musique, aide aux projets.

## Ce qu'on aimerait

- Des horaires le soir et le week-end.
- Un studio d'enregistrement en lien avec le [[Rocher de Palmer]].
- Des permanences pour l'emploi et les études.
""",
    },
    {
        "title": "Scène ouverte au Rocher de Palmer",
        "themes": ["culture"],
        "place": ("33119", "Palmer"),
        "author": 32,
        "summary": "Projet de scène ouverte mensuelle",
        "facts": {
            "status": "in_progress",
            "start_date": "2026-01-15",
            "budget": "12000.00",
            "latitude": "44.856500",
            "longitude": "-0.522900",
        },
        "body": """\
Une **scène ouverte** chaque premier vendredi du mois au salon de musiques du [[Rocher de Palmer]], pour \
les musiciens amateurs de la Rive droite.

## Déroulé

1. Inscription sur place à partir de 19 h.
2. Trois morceaux par groupe ou artiste.
3. Bœuf final avec les musiciens de l'école de musique.
""",
    },
    {
        "title": "Composteurs collectifs de Meignan",
        "themes": ["environnement"],
        "place": ("33032", "Meignan"),
        "author": 39,
        "summary": "Installer des composteurs au pied des immeubles",
        "facts": {
            "status": "in_progress",
            "start_date": "2025-10-01",
            "end_date": "2026-10-01",
            "budget": "8500.00",
            "latitude": "44.903100",
            "longitude": "-0.517400",
        },
        "body": """\
Installer **six composteurs collectifs** dans les résidences de [[Meignan]], avec des habitants référents \
formés par la métropole.

## Avancement

- [x] Accord du bailleur
- [x] Formation de huit référents
- [ ] Installation des bacs
- [ ] Premier compost distribué aux [[Jardins partagés de Dravemont|jardins partagés]]
""",
    },
    {
        "title": "Passerelle piétonne de Carriet",
        "themes": ["mobilite"],
        "place": ("33249", "Carriet"),
        "author": 21,
        "summary": "Projet de passerelle au-dessus de la rocade",
        "facts": {
            "status": "abandoned",
            "start_date": "2019-01-01",
            "end_date": "2021-12-31",
            "budget": "1500000.00",
            "latitude": "44.889300",
            "longitude": "-0.510400",
        },
        "body": """\
Une **passerelle** devait relier [[Carriet]] au [[Parc de l'Ermitage]] au-dessus de la rocade.

## Pourquoi le projet a été abandonné

- Un coût jugé trop élevé après les études.
- Le choix d'aménager plutôt le passage souterrain existant.

Les habitants demandent toujours un meilleur éclairage du souterrain.
""",
    },
    {
        "title": "Îlot de fraîcheur place de la mairie",
        "themes": ["environnement"],
        "place": ("33167", "Le Bourg"),
        "author": 28,
        "summary": "Idée : planter des arbres place de la mairie",
        "facts": {"status": "idea", "latitude": "44.836200", "longitude": "-0.528100"},
        "body": """\
La place de la mairie de [[Floirac]] est une étendue de bitume brûlante en été. Proposition : \
**planter des arbres**, désimperméabiliser et installer une fontaine.

## Idées en vrac

- Des tilleuls ou des platanes pour l'ombre.
- Des bancs à l'ombre pour les anciens.
- Garder de la place pour le marché et les fêtes.
""",
    },
]

# Later edits, applied in order with wiki.services.edit_page by the resident at
# index `author`. `replace` is a list of (old, new) substitutions, `append` text
# added at the end, `themes` the page's whole theme set after the edit. The summary
# identifies the edit on its page (idempotence).
EDITS = [
    {
        "page": "Tramway A",
        "author": 30,
        "summary": "Précisions sur le prolongement de 2008",
        "replace": [
            (
                "- 2008 : prolongement vers La Gardette et Floirac Dravemont.",
                "- 2008 : prolongement vers La Gardette (Lormont) et vers Floirac Dravemont, avec une branche "
                "dédiée depuis la station Lauriers.",
            )
        ],
    },
    {
        "page": "Tramway A",
        "author": 9,
        "summary": "Ajout d'une section sur l'accessibilité",
        "append": """
## Accessibilité

Toutes les stations sont de plain-pied et les rames ont des emplacements pour fauteuils et poussettes. \
L'ascenseur de la station Buttinière est souvent en panne : signalez-le au service client.
""",
    },
    {
        "page": "Tramway A",
        "author": 17,
        "summary": "Correction de la fréquence",
        "replace": [("toutes les 5 minutes", "toutes les 4 à 5 minutes")],
        "append": "\nLe dimanche, compter un tram toutes les 10 minutes environ.\n",
    },
    {
        "page": "Rénovation urbaine de Génicart",
        "author": 3,
        "summary": "Ajout des associations qui ont suivi le chantier",
        "append": """
## Les associations

- Le conseil citoyen de Lormont, présent à chaque réunion de chantier.
- L'association des locataires de Génicart.
- Le centre social, qui a accompagné les relogements.
""",
    },
    {
        "page": "Rénovation urbaine de Génicart",
        "author": 34,
        "summary": "Mise à jour du second programme",
        "replace": [
            (
                "| 2015–2024 | Second programme (NPNRU) | en cours |",
                "| 2015–2026 | Second programme (NPNRU) | environ 350 |",
            )
        ],
        "append": (
            "\nLe second programme prévoit aussi une maison de santé et une rue centrale rendue aux piétons, "
            "entre la place du marché et la station [[Tramway A|Buttinière]].\n"
        ),
    },
    {
        "page": "Parc Palmer",
        "author": 49,
        "summary": "Ajout du jardin des cinq sens",
        "replace": [
            (
                "- Le belvédère avec vue sur Bordeaux.",
                "- Le belvédère avec vue sur Bordeaux.\n- Le jardin des cinq sens, créé avec les écoles du quartier.",
            )
        ],
    },
    {
        "page": "Parc Palmer",
        "author": 19,
        "summary": "Ajout des concerts d'été",
        "themes": ["environnement", "culture"],
        "append": """
## L'été au parc

En juillet, le [[Rocher de Palmer]] installe une scène sur la grande pelouse : concerts gratuits le \
dimanche en fin d'après-midi, pique-nique bienvenu.
""",
    },
    {
        "page": "Rocher de Palmer",
        "author": 5,
        "summary": "Ajout de la billetterie solidaire",
        "append": """
## Billetterie solidaire

Des places à 5 € sont réservées chaque mois aux associations de la Rive droite. Renseignements à l'accueil \
ou auprès des centres sociaux.
""",
    },
    {
        "page": "Rocher de Palmer",
        "author": 44,
        "summary": "Lien vers le projet de scène ouverte",
        "append": "\nVoir aussi le projet [[Scène ouverte au Rocher de Palmer]].\n",
    },
    {
        "page": "Jardins partagés de Dravemont",
        "author": 26,
        "summary": "Ajout des horaires de la permanence",
        "replace": [
            (
                "(permanence le samedi matin)",
                "(permanence le samedi de 10 h à 12 h, au local près de l'entrée nord)",
            )
        ],
    },
    {
        "page": "Jardins partagés de Dravemont",
        "author": 0,
        "summary": "Ajout de la récolte de miel",
        "append": """
## Les ruches

Deux ruches ont été installées en 2024 au fond du jardin. La première récolte a donné 18 kg de miel, \
partagés entre les jardiniers.
""",
    },
    {
        "page": "Médiathèque de Cenon",
        "author": 35,
        "summary": "Horaires du jeudi ajoutés",
        "replace": [("| Vendredi | 14 h – 18 h |", "| Jeudi | 16 h – 19 h |\n| Vendredi | 14 h – 18 h |")],
    },
    {
        "page": "Médiathèque de Cenon",
        "author": 11,
        "summary": "Ajout du club de lecture ado",
        "append": """
## Pour les ados

Un club de lecture pour les 12–16 ans se réunit un samedi sur deux. On y parle mangas, romans et jeux vidéo.
""",
    },
    {
        "page": "Parc de l'Ermitage",
        "author": 21,
        "summary": "Ajout des falaises et de l'escalade",
        "append": """
## Les falaises

Les anciennes falaises de la carrière accueillent une voie d'escalade encadrée par un club de \
[[Lormont]], ouverte au public certains dimanches.
""",
    },
    {
        "page": "Berges de la Souys",
        "author": 33,
        "summary": "Ajout de la guinguette d'été",
        "append": "\nL'été, une guinguette s'installe près de l'ancienne cale, avec concerts le jeudi soir.\n",
    },
    {
        "page": "Skatepark de Dravemont",
        "author": 18,
        "summary": "Compte rendu de la réunion avec les riverains",
        "append": """
## Réunion avec les riverains

Une quarantaine de personnes étaient présentes. Les riverains acceptent le projet si le skatepark ferme \
à 22 h et si des arbres sont plantés côté immeubles. Les jeunes préfèrent un mélange bowl et street.
""",
    },
    {
        "page": "Skatepark de Dravemont",
        "author": 15,
        "summary": "Précision sur le budget",
        "replace": [
            (
                "Ce projet propose un **skatepark**",
                "Ce projet, retenu au budget participatif de la métropole, propose un **skatepark**",
            )
        ],
    },
    {
        "page": "Pistes cyclables des quais",
        "author": 22,
        "summary": "Tronçon de Floirac terminé",
        "append": "\nLe tronçon de Floirac est ouvert depuis l'automne : revêtement lisse et éclairage solaire.\n",
    },
    {
        "page": "Parc des Coteaux",
        "author": 2,
        "summary": "Ajout du domaine de Séguinaud",
        "replace": [
            (
                "5. Parc de l'Observatoire ([[Observatoire de Floirac]])",
                "5. Domaine de Séguinaud (Bassens)\n6. Parc de l'Observatoire ([[Observatoire de Floirac]])",
            ),
            ("6. Domaine de la Burthe (Floirac)", "7. Domaine de la Burthe (Floirac)"),
        ],
    },
]

EDITS += [
    {
        "page": "Observatoire de Floirac",
        "author": 20,
        "summary": "Ajout des soirées d'observation",
        "append": """
## Observer le ciel

Un club d'astronomie amateur organise des soirées d'observation un vendredi par mois, télescopes fournis. \
Pensez à une lampe rouge et à des vêtements chauds.
""",
    },
    {
        "page": "Îlot de fraîcheur place de la mairie",
        "author": 6,
        "summary": "Ajout de mesures de température",
        "append": """
## Quelques mesures

| Endroit | Température au sol (juillet, 16 h) |
|---|---|
| Place de la mairie, bitume | 52 °C |
| Square voisin, sous les arbres | 31 °C |
""",
    },
    {
        "page": "Marché du samedi",
        "author": 9,
        "summary": "Ajout des horaires et du marché de Noël",
        "replace": [("Chaque **samedi matin**", "Chaque **samedi de 8 h à 13 h**")],
        "append": "\nEn décembre, un marché de Noël avec les artisans de la commune remplace le marché du samedi.\n",
    },
    {
        "page": "Scène ouverte au Rocher de Palmer",
        "author": 17,
        "summary": "Ajout du matériel fourni",
        "append": "\nLa salle fournit la sono, une batterie et deux amplis ; apportez vos instruments et vos câbles.\n",
    },
    {
        "page": "Pistes cyclables des quais",
        "author": 33,
        "summary": "Ajout des stationnements vélo",
        "append": (
            "\nDes arceaux et un abri vélo sécurisé sont prévus aux stations Buttinière et Cenon Gare "
            "du [[Tramway A]].\n"
        ),
    },
    {
        "page": "Berges de la Souys",
        "author": 28,
        "summary": "Ajout de la faune des berges",
        "append": "\nAu petit matin, on croise des aigrettes, des cormorans et parfois un ragondin dans les roseaux.\n",
    },
]

# A vandal-looking edit and its undo by the moderator (TEAM[1]).
VANDAL_EDIT = {
    "page": "Parc Palmer",
    "author": 47,
    "summary": "mdr",
    "replace": [
        (
            "Le parc est ouvert tous les jours de 8 h à 20 h (21 h 30 en été).",
            "LE PARC C NUL!!! allez plutot au centre commercial lol",
        )
    ],
}
UNDO_SUMMARY = "Annulation d'une modification hors sujet"


# -- Workshops ----------------------------------------------------------------------
#
# `days` from today (negative: in the past) at `hour` o'clock, Europe/Paris.
# Residents are indexes into residents(). Past workshops get their registrations
# while still upcoming, then are moved to their date (workshops.services.reschedule).

WORKSHOP_INDEX = {
    "title": "Ateliers",
    "slug": "workshops",
    "introduction": (
        "<p>Des ateliers pour construire ensemble les projets de la Rive droite : balades urbaines, "
        "ateliers de conception, réunions de quartier. Gratuits, sur inscription.</p>"
    ),
}

WORKSHOPS = [
    {
        "title": "Balade à vélo sur les quais",
        "slug": "balade-velo-quais",
        "days": -60,
        "hour": 10,
        "duration_hours": 3,
        "venue_name": "Pôle d'échanges de la Buttinière",
        "address": "Avenue de la Résistance, 33310 Lormont",
        "commune": "33249",
        "accessibility": "Parcours plat, vélos adaptés prêtés sur demande. Tram A, station Buttinière.",
        "capacity": 15,
        "mode": "open",
        "description": (
            "<p>Une balade à vélo de Lormont à Floirac pour repérer les points noirs des "
            "<b>pistes cyclables des quais</b> et proposer des améliorations.</p>"
        ),
        "related": ["Pistes cyclables des quais"],
        "registered": [3, 34, 33, 9, 30, 15, 17, 22, 44, 19],
        "absent": [],
        "writeup": (
            "Dix habitants ont parcouru les 9 km entre la Buttinière et les berges de la Souys.\n\n"
            "Trois points noirs ont été relevés : le carrefour sous le pont d'Aquitaine, le passage étroit "
            "le long du port et l'absence d'arceaux à la station Cenon Gare. Les propositions seront "
            "transmises à la métropole avant la prochaine réunion de concertation."
        ),
    },
    {
        "title": "Jardiner au pied des immeubles",
        "slug": "jardiner-pied-immeubles",
        "days": -30,
        "hour": 14,
        "duration_hours": 2,
        "venue_name": "Jardins partagés de Dravemont",
        "address": "Rue Jules-Ferry, 33270 Floirac",
        "commune": "33167",
        "accessibility": "Allées en stabilisé, bacs surélevés. Tram A, station Floirac Dravemont.",
        "capacity": 12,
        "mode": "open",
        "description": (
            "<p>Semis, compost et paillage : un après-midi avec les jardiniers de Dravemont pour lancer "
            "de nouveaux jardins dans les résidences.</p>"
        ),
        "related": [],
        "registered": [18, 26, 0, 20, 28, 6, 7, 8, 39, 21],
        "absent": [7, 8],
        "writeup": "",
    },
    {
        "title": "Dessinons le skatepark de Dravemont",
        "slug": "dessinons-le-skatepark",
        "days": 7,
        "hour": 15,
        "duration_hours": 2,
        "venue_name": "Centre social de Dravemont",
        "address": "Place du Marché, 33270 Floirac",
        "commune": "33167",
        "accessibility": "Salle de plain-pied, toilettes accessibles. Tram A, station Floirac Dravemont.",
        "capacity": 20,
        "mode": "open",
        "description": (
            "<p>Jeunes, riverains, skateurs : venez dessiner les modules du futur <b>skatepark de "
            "Dravemont</b> avec un architecte.</p>"
        ),
        "related": ["Skatepark de Dravemont"],
        "registered": [20, 18, 15, 45, 26, 0],
        "invited": [],
        "accepted": [],
        "cancelled": [],
    },
    {
        "title": "Génicart demain : atelier des habitants",
        "slug": "genicart-demain",
        "days": 14,
        "hour": 18,
        "duration_hours": 2,
        "venue_name": "Centre social de Génicart",
        "address": "Rue Pierre-Mendès-France, 33310 Lormont",
        "commune": "33249",
        "accessibility": "Ascenseur, boucle magnétique. Tram A, station Buttinière.",
        "capacity": 15,
        "mode": "invitation",
        "description": (
            "<p>Un atelier sur invitation avec les habitants les plus actifs pour préparer la suite de la "
            "<b>rénovation urbaine de Génicart</b>.</p>"
        ),
        "related": ["Rénovation urbaine de Génicart"],
        "registered": [],
        # Only members who accept invitations; the first three say yes.
        "invited": [30, 34, 21, 24, 9, 14, 19, 44],
        "accepted": [30, 34, 9],
        "cancelled": [],
    },
    {
        "title": "Fresque du climat au Rocher de Palmer",
        "slug": "fresque-du-climat",
        "days": 30,
        "hour": 18,
        "duration_hours": 3,
        "venue_name": "Rocher de Palmer, salon de musiques",
        "address": "1 rue Aristide-Briand, 33150 Cenon",
        "commune": "33119",
        "accessibility": "Accès de plain-pied, toilettes accessibles. Tram A, station Palmer.",
        "capacity": 10,
        "mode": "open",
        "description": (
            "<p>Trois heures pour comprendre le changement climatique en jeu de cartes, puis imaginer ce "
            "que la Rive droite peut faire.</p>"
        ),
        "related": [],
        "registered": [19, 44, 5, 32, 14, 49, 11, 35, 17, 40, 42, 47],
        "invited": [],
        "accepted": [],
        # One confirmed member withdraws: the first on the waiting list gets the seat.
        "cancelled": [5],
    },
]
