# Les pages de carepool en français. Chaque catalogue a les mêmes messages avec les mêmes
# variables (un test le vérifie).

language-name = Français

## Dates, nombres et montants
date = { $day } { $month } { $year }
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
digit-group = {"\u202F"}
decimal-mark = ,

## Toutes les pages
skip-to-content = Aller au contenu
nav-label = Menu principal
nav-home = Accueil
nav-password = Changer de mot de passe
sign-out = Se déconnecter
back-home = Retour à l'accueil
form-problems = Ce qui a été envoyé pose problème
role-admin = administrateur
role-enrolment_officer = agent d'immatriculation
role-finance_officer = agent financier
role-claims_officer = agent des demandes de remboursement
role-medical_reviewer = médecin-conseil
role-manager = gestionnaire
role-actuary = actuaire
role-auditor = auditeur
role-facility = formation sanitaire

## Erreurs
error-not-found = Introuvable
error-refused = Non autorisé
error-unauthenticated = Veuillez vous connecter
error-invalid = Non effectué
error-fault = Une erreur s'est produite
refused-role = Votre rôle ne permet pas d'ouvrir cette page.
refused-csrf = Ce formulaire a été envoyé sans son jeton de sécurité : rien n'a été fait. Rouvrez la page et envoyez-le depuis celle-ci.
page-not-found = Il n'y a pas de page à cette adresse.

## Connexion
sign-in-title = Connexion
sign-in = Se connecter
field-user-name = Nom d'utilisateur
field-password = Mot de passe
languages = Langues
sign-in-refused = Nom d'utilisateur ou mot de passe incorrect.
sign-in-locked = Trop d'échecs de connexion pour ce nom : réessayez dans { $minutes } minute(s).
sign-in-form-expired = Le formulaire de connexion avait expiré. Veuillez vous reconnecter.
password-changed = Votre mot de passe a été changé. Connectez-vous avec le nouveau.

## Changer son mot de passe
password-title = Changer votre mot de passe
field-password-current = Mot de passe actuel
field-password-new = Nouveau mot de passe
field-password-repeated = Nouveau mot de passe, à nouveau
password-hint = Au moins { $chars } caractères. Toutes vos sessions se terminent : vous vous reconnectez.
password-change = Changer le mot de passe
password-current-wrong = Ce n'est pas votre mot de passe actuel.
password-not-repeated = Les deux nouveaux mots de passe diffèrent.
password-too-short = Le nouveau mot de passe a moins de { $chars } caractères.

## Accueil
home-title = Travail du jour
home-greeting = Connecté en tant que { $name }.
home-nothing = Rien ne vous attend.
home-more = Les { $count } premiers sont affichés ; il y en a d'autres.
home-pending-members = Membres en attente de confirmation
home-no-pending-members = Aucun membre n'attend de confirmation.
home-claims-in-review = Demandes en attente du contrôle médical
home-no-claims-in-review = Aucune demande n'attend de contrôle.
home-runs-to-release = Ordres de paiement en attente de validation
home-no-runs-to-release = Aucun ordre de paiement n'attend de validation.
column-member = Membre
column-name = Nom
column-family = Famille
column-since = Depuis
column-claim = Demande
column-received = Reçue le
column-claimed = Montant demandé
column-run = Ordre de paiement
column-proposed-by = Proposé par
column-claims = Demandes
column-to-facilities = Aux formations sanitaires
column-to-patients = Aux patients

## Le registre
nav-members = Membres
search-title = Trouver un membre ou une famille
search-label = Nom, numéro de membre, numéro national ou numéro de famille
search-hint = Une partie du nom suffit ; accents et majuscules sont sans importance.
search = Rechercher
search-none = Aucun membre ne répond à « { $wanted } ».
search-results = Membres répondant à « { $wanted } », page { $page }
pages = Pages
page-previous = Page précédente
page-next = Page suivante
column-born = Né(e) le
column-status = Statut
column-relationship = Lien
column-sex = Sexe
column-card = Carte
column-from = Du
column-to = Au
column-package = Panier
column-receipt = Reçu
column-payer = Payé par
column-period = Période
column-amount = Montant
column-paid-on = Payé le
column-care-date = Soins du
column-approved = Accordé
member-status-active = actif depuis le { $since }
member-status-pending = en attente depuis le { $since }
member-status-inactive = inactif depuis le { $since }
member-status-deceased = décédé le { $since }
relationship-head = chef de famille
relationship-spouse = conjoint
relationship-child = enfant
relationship-parent = parent
relationship-other = autre
sex-F = femme
sex-M = homme
payer-member = membre
payer-employer = employeur
payer-worker = travailleur
payer-government = État
payer-social_fund = fonds social
payer-donor = bailleur
claim-status-received = reçue
claim-status-in_review = en contrôle
claim-status-approved = acceptée
claim-status-partially_approved = acceptée en partie
claim-status-rejected = rejetée
claim-status-paid = payée
action-create = créée
action-update = modifiée
action-import = importée
family-title = Famille { $id }
family-scheme = Régime
family-location = Localité
family-household = Ménage
family-standing = Situation ce jour
standing-covered = couverte : cotisations à jour
standing-suspended = couverture suspendue depuis le { $since } faute de cotisations
family-paid-through = Payé jusqu'au
family-arrears = Arriérés
family-members = Membres
family-cover = Couverture
family-no-cover = Aucun membre n'est couvert.
open-ended = sans fin
family-contributions = Cotisations
family-no-contributions = Aucune cotisation enregistrée.
family-claims = Dernières demandes
family-no-claims = Aucune demande.
family-history = Historique de la fiche de la famille
card-link = Carte
card-title = Carte de membre { $id }
card-print = Imprimez cette page pour faire la carte ; le code contient le numéro du membre.
