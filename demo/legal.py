"""The demo's brand (Settings > Brand and legal pages) and the drafts of its legal pages.

Drafts for the Rive droite, to be checked by the collectivité's legal service before
going live: every French public website must publish a legal notice, its personal data
and cookies policy, and an accessibility statement (RGAA), plus a way to reach it.
"""

from datetime import date

from wagtail.models import Site

from civic.models import BrandSettings, FooterLink, InformationPage

BRAND = {
    "site_name": "Quartiers Rive droite",
    "main_colour": "#0e4f4a",  # 9.4:1 under white text
    "accent_colour": "#005f73",  # 7.3:1
    "contact_email": "contact@quartiers-rive-droite.example.fr",
}
FOOTER_LINKS = [("Bordeaux Métropole", "https://www.bordeaux-metropole.fr/")]
UPDATED_ON = date(2026, 9, 1)

CONTACT = (
    "<p>Une question, une erreur à signaler, une demande sur vos données personnelles ? "
    'Écrivez à <a href="mailto:contact@quartiers-rive-droite.example.fr">'
    "contact@quartiers-rive-droite.example.fr</a> : l’équipe de Quartiers vous répond sous cinq jours ouvrés.</p>"
)

LEGAL_PAGES = [
    {
        "field": "legal_notice_page",
        "title": "Mentions légales",
        "slug": "mentions-legales",
        "body": (
            "<h2>Éditeur du site</h2>"
            "<p>Ce site est édité par le Grand Projet des Villes Rive droite (GPV), groupement d’intérêt public "
            "des villes de Bassens, Cenon, Floirac et Lormont, 1 place de la République, 33150 Cenon "
            "(adresse de démonstration).</p>"
            "<p>Directeur ou directrice de la publication : le président ou la présidente du GPV.</p>"
            "<h2>Hébergement</h2>"
            "<p>Le site est hébergé en France par [nom de l’hébergeur, adresse, téléphone].</p>"
            "<h2>Contenus publiés par les habitants</h2>"
            "<p>Les pages du wiki et les commentaires sont écrits par les habitants inscrits, sous leur pseudonyme. "
            "Ils sont publiés sous leur responsabilité et relus par l’équipe de modération, qui retire ce qui "
            "enfreint la charte ou la loi. Pour signaler un contenu, utilisez le bouton « Signaler » ou la page "
            "Contact.</p>"
            "<h2>Propriété intellectuelle</h2>"
            "<p>Sauf mention contraire, les textes du wiki sont réutilisables en citant le site. Les fonds de carte "
            "sont © les contributeurs d’OpenStreetMap.</p>"
        ),
    },
    {
        "field": "personal_data_page",
        "title": "Données personnelles et cookies",
        "slug": "donnees-personnelles",
        "body": (
            "<h2>Responsable du traitement</h2>"
            "<p>Le GPV Rive droite traite vos données pour vous permettre de contribuer au wiki, de commenter "
            "et de vous inscrire aux ateliers (base légale : votre consentement et l’exécution du service).</p>"
            "<h2>Données collectées</h2>"
            "<ul><li>votre adresse e-mail et votre mot de passe (chiffré), pour vous connecter ;</li>"
            "<li>votre pseudonyme, votre commune et votre quartier, si vous les indiquez ;</li>"
            "<li>vos contributions, vos commentaires et vos inscriptions aux ateliers.</li></ul>"
            "<p>Elles ne sont ni vendues ni transmises à des tiers. Elles sont conservées tant que votre compte "
            "existe ; vous pouvez le supprimer à tout moment depuis « Mon profil ».</p>"
            "<h2>Vos droits</h2>"
            "<p>Vous pouvez télécharger vos données depuis « Mon profil », les rectifier ou les faire effacer. "
            "Pour toute demande, écrivez à la page Contact ; vous pouvez aussi saisir la CNIL (www.cnil.fr).</p>"
            "<h2>Cookies</h2>"
            "<p>Le site n’utilise que des cookies nécessaires à son fonctionnement (session de connexion, "
            "protection des formulaires, langue choisie, appareil reconnu pour la connexion). Il n’y a ni "
            "mesure d’audience tierce ni publicité : aucun consentement n’est donc demandé.</p>"
        ),
    },
    {
        "field": "accessibility_page",
        "title": "Déclaration d’accessibilité",
        "slug": "accessibilite",
        "body": (
            "<p>Le GPV Rive droite s’engage à rendre son site accessible conformément à l’article 47 de la loi "
            "n° 2005-102 du 11 février 2005.</p>"
            "<h2>État de conformité</h2>"
            "<p>Le site Quartiers Rive droite est <b>non conforme</b> au référentiel général d’amélioration de "
            "l’accessibilité (RGAA 4.1) : aucun audit n’a encore été réalisé. Il est conçu pour l’être "
            "(navigation au clavier, contrastes, formulaires étiquetés, tests automatiques à chaque version).</p>"
            "<h2>Établissement de cette déclaration</h2>"
            "<p>Cette déclaration a été établie le 1er septembre 2026.</p>"
            "<h2>Retour d’information et contact</h2>"
            "<p>Si vous n’arrivez pas à accéder à un contenu ou à un service, écrivez-nous à "
            "contact@quartiers-rive-droite.example.fr pour être orienté vers une alternative accessible ou "
            "obtenir le contenu sous une autre forme.</p>"
            "<h2>Voies de recours</h2>"
            "<p>Si vous nous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou "
            "à un service et que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez :</p>"
            "<ul><li>écrire un message au Défenseur des droits (formulaire en ligne sur "
            "www.defenseurdesdroits.fr) ;</li>"
            "<li>contacter le délégué ou la déléguée du Défenseur des droits dans votre région ;</li>"
            "<li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, "
            "Libre réponse 71120, 75342 Paris CEDEX 07.</li></ul>"
        ),
    },
    {"field": "contact_page", "title": "Contact", "slug": "contact", "body": CONTACT},
]


def build_brand(home):
    """The Rive droite's brand and legal pages; returns how many pages were created (0 on a second run)."""
    created = 0
    site = Site.objects.get(is_default_site=True)
    settings = BrandSettings.for_site(site)
    for spec in LEGAL_PAGES:
        page = InformationPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = InformationPage(
                title=spec["title"], slug=spec["slug"], body=spec["body"], updated_on=UPDATED_ON, show_in_menus=False
            )
            home.add_child(instance=page)
            page.save_revision().publish()
            created += 1
        if getattr(settings, f"{spec['field']}_id") is None:
            setattr(settings, spec["field"], page)
    if settings.site_name == BrandSettings._meta.get_field("site_name").default:
        for field, value in BRAND.items():
            setattr(settings, field, value)
    settings.full_clean()
    settings.save()
    if not FooterLink.objects.filter(settings=settings).exists():
        FooterLink.objects.bulk_create(
            FooterLink(settings=settings, label=label, url=url, sort_order=index)
            for index, (label, url) in enumerate(FOOTER_LINKS)
        )
    return created
