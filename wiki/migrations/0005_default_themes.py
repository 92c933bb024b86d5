"""The themes most French local authorities organise their action by; staff edit the list."""

from django.db import migrations

DEFAULT_THEMES = [
    ("Mobilité", "mobilite", "Transports en commun, vélo, marche, stationnement, circulation."),
    ("Environnement", "environnement", "Nature en ville, propreté, déchets, climat, biodiversité."),
    ("Logement", "logement", "Habitat, rénovation urbaine, logement social."),
    ("Culture", "culture", "Équipements culturels, patrimoine, fêtes et événements."),
    ("Solidarité", "solidarite", "Entraide, action sociale, accès aux droits."),
    ("Éducation et jeunesse", "education-jeunesse", "Écoles, accueil périscolaire, activités pour les jeunes."),
    ("Sport", "sport", "Équipements sportifs, clubs, sport en plein air."),
    ("Commerce et emploi", "commerce-emploi", "Commerces de proximité, marchés, emploi, insertion."),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("wiki", "Theme")
    for name, slug, description in DEFAULT_THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("wiki", "0004_themes_protection_patrol_follow")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
