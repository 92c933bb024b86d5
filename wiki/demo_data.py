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
