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
role-grievance_officer = chargé des plaintes
role-monitor = supervision (métriques)

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

## Les formulaires du registre
nav-new-family = Nouvelle famille
actions = Actions
action-add-member = Ajouter un membre
action-give-cover = Immatriculer un membre (couverture)
action-record-contribution = Enregistrer une cotisation
action-change-status = Statut
save = Enregistrer
not-eligible = Non éligible : { $message } (règle { $rule })
family-new = Enregistrer une famille
member-new = Ajouter un membre à la famille { $family }
cover-new = Immatriculer un membre de la famille { $family }
cover-not-in-family = Ce membre n'est pas de la famille { $family }.
contribution-new = Enregistrer une cotisation de la famille { $family }
receipt-title = Reçu { $receipt }
receipt-print = Imprimez cette page et remettez-la au payeur.
status-change = Statut de { $member }, { $name }
status-active = actif
status-pending = en attente
status-inactive = inactif (a quitté le régime)
status-deceased = décédé
field-families-id = Numéro de famille
field-families-scheme = Code du régime
field-families-location_code = Code de la localité (village)
field-families-household_id = Numéro de ménage
field-families-poverty_score = Score de pauvreté (0 à 100)
field-members-id = Numéro de membre
field-members-name = Nom complet
field-members-relationship = Lien avec le chef de famille
field-members-sex = Sexe
field-members-birth_date = Date de naissance
field-members-national_id = Numéro national
field-members-categories = Catégories d'éligibilité (séparées par ;)
field-members-monthly_wage = Salaire mensuel
field-members-status = Statut
field-members-status_since = Statut depuis le (jour du décès pour un décès)
field-coverage-member_id = Numéro de membre
field-coverage-start_date = Couvert à partir du
field-coverage-end_date = Couvert jusqu'au (vide : sans fin)
field-coverage-package = Panier de soins (vide : le premier du régime)
field-contributions-receipt = Numéro de reçu
field-contributions-payer = Payé par
field-contributions-period_start = Période du
field-contributions-period_end = Période au
field-contributions-amount = Montant
field-contributions-paid_on = Payé le

## Demandes de remboursement
nav-claims = Demandes
nav-new-claim = Nouvelle demande
nav-review = Contrôle
claims-title = Demandes de remboursement
claims-none = Aucune demande ne répond à ces filtres.
filter = Afficher
filter-facility = Formation sanitaire
filter-district = District
filter-from = Soins à partir du
filter-to = Soins jusqu'au
not-a-date = « { $text } » n'est pas une date (AAAA-MM-JJ).
claim-title = Demande { $id }
claim-visit = Consultation
claim-stay = Séjour
claim-admission = Admis le
claim-discharge = Sorti le
claim-category = Catégorie clinique
claim-specialty = Spécialité
claim-diagnosis = Diagnostic
claim-diagnosis-codes = Codes diagnostic (CIM-10, principal d'abord)
claim-decided = Décidée le
claim-paid-on = Payée le
claim-amounts = Montants
claim-amounts-hint = Demandé = accordé + part du membre + rejeté. L'indemnité est versée au patient.
claim-member-share = Part du membre
claim-rejected = Rejeté
claim-allowance = Indemnité
claim-paid = Payé
claim-lines = Lignes
claim-service = Prestation
claim-quantity = Quantité
claim-unit-price = Prix unitaire
claim-tariff = Tarif
claim-reasons = Motifs
claim-no-reasons = Aucun motif : la demande a été acceptée telle quelle.
claim-line = ligne { $line }
claim-review-note = Note du médecin-conseil :
claim-number = Numéro de la demande
claim-care-date = Jour des soins
claim-copay = Ticket modérateur perçu du patient
claim-send = Envoyer la demande
claim-new-title = Nouvelle demande
claim-unknown-member = Aucun membre { $member } n'est connu ici.
cover-check = Vérifier la couverture
cover-yes = { $member } est couvert le { $date }
cover-no = { $member } n'est pas couvert le { $date }
cover-category = Catégorie de prestations
cover-limit = Plafond
cover-used = Consommé
cover-left = Restant
cover-no-limit = sans plafond
cover-waiting = en stage jusqu'au { $until }
review-queue-title = Demandes en attente du contrôle médical
review-title = Votre décision
review-decision = Décision
review-approve = Accepter telle que jugée
review-adjust = Ajuster le montant accordé
review-reject = Rejeter
review-approved = Montant accordé (pour ajuster)
review-note = Note (motif)
review-not-duplicate = Ce n'est pas un doublon
review-send = Enregistrer la décision
review-approved-needed = Indiquez le montant accordé après ajustement.
review-decision-needed = Choisissez accepter, ajuster ou rejeter.

## Paiements
nav-payments = Paiements
payments-title = Ordres de paiement
payments-month = Mois (AAAA-MM)
payments-propose = Proposer l'ordre de paiement de { $period }
payments-none = Aucun ordre de paiement pour { $period } pour l'instant.
payments-nothing-due = Rien n'était dû : aucun ordre n'a été proposé.
payments-run = Ordre { $run }
run-proposed = proposé, en attente de validation
run-released = validé et payé
run-released-by = Validé par
run-remittances = Avis de paiement par formation sanitaire :
run-release-by-another = Vous avez proposé cet ordre : un autre agent financier le valide.
run-paid-on = Payé le
run-refunds = Remboursements aux patients exonérés facturés
run-refunds-count = { $refunds } payés ou récupérés
run-recovered = { $amount } déduits des formations sanitaires
run-release = Valider et payer
remittance-title = Avis de paiement à { $facility }, ordre { $run }
remittance-deducted = Déduit (part du membre et refusé)
remittance-paid = Payé
remittance-total = Total
remittance-refunds = Remboursements aux patients exonérés à qui l'on a fait payer, déduits
remittance-refunds-none = Aucun remboursement déduit de ce paiement.
column-grievance = Réclamation
download = Télécharger :

## Études
nav-reserve = Provisions
nav-experience = Expérience
study-reserve-title = Provisions (IBNR et RBNP)
study-experience-title = Étude d'expérience
study-run = Lancer l'étude
study-settings = Paramètres et base de l'étude
study-empty-table = Aucune ligne.
study-warning = Attention :
study-more-rows = Les { $shown } premières lignes sur { $rows } sont affichées ; les téléchargements les contiennent toutes.
study-method = Méthode
study-origin = Périodes d'origine
study-development = Développement des sinistres
study-measure = Mesure
study-valuation = Date d'évaluation (par défaut aujourd'hui)
study-average = Moyenne des facteurs (volume, simple ou N)
study-tail = Facteur de queue
study-loss_ratio = Sinistralité a priori (bf, benktander)
study-scheme = Régime (par défaut tous)
study-from = Du
study-to = Au (par défaut aujourd'hui)
study-split = Découpage par
study-glm_factors = Facteurs du GLM (age, sex, area, duration, period)
study-base = Niveau de base par facteur : FACTEUR=NIVEAU, séparés par des points-virgules (p. ex. sex=F; area=rural)
nav-projection = Projection
study-projection-title = Projection et tests de résistance
study-assumptions = Hypothèses (le fichier que lit carepool project)
study-assumptions-hint = Collez le fichier d'hypothèses TOML, les lignes de la table de base incluses (docs/PROJECTION.md).
study-exclude = Liens exclus (ORIGINE:DÉCALAGE, séparés par des virgules)
study-sigma = Dernier sigma (mack)
study-iterations = Itérations (benktander)
study-exposure = Primes acquises par origine (bf, benktander, cape-cod) : ORIGINE=MONTANT, séparés par des points-virgules
study-age_bands = Débuts des tranches d'âge (p. ex. 0, 5, 15, 25, 45, 65)
study-duration_bands = Débuts des tranches d'ancienneté, en mois
study-default = (par défaut de la méthode)
choice-mack = Mack
choice-chain-ladder = chain ladder
choice-bf = Bornhuetter-Ferguson
choice-benktander = Benktander
choice-cape-cod = Cape Cod
choice-log-linear = log-linéaire
choice-quarter = trimestre
choice-month = mois
choice-year = année
choice-reported = déclarés
choice-paid = payés
choice-amount = montant
choice-count = nombre

## Pourquoi une immatriculation est refusée
refusal-died = le membre est décédé le { $date }
refusal-inactive = le membre est inactif depuis le { $date }
refusal-before_birth = la couverture ne peut commencer avant la naissance ({ $date })
refusal-child_past_age = un enfant de { $age } ans dépasse la limite d'âge de la famille ({ $limit } ans)
refusal-poverty_score_above = le score de pauvreté { $score } dépasse le seuil de { $threshold }
refusal-poverty_score_missing = la famille { $family } n'a pas de score de pauvreté à comparer au seuil de { $threshold }
refusal-no_category = aucun membre n'est dans une catégorie éligible ({ $categories })

## Pourquoi une demande ou une ligne est réduite, refusée, partagée, signalée ou contrôlée
reason-dates_both = indiquer une date de consultation, ou des dates d'admission et de sortie, pas les deux
reason-dates_none = ni date de consultation ni date d'admission
reason-stay_without_discharge = un séjour demande une date de sortie
reason-discharge_without_admission = une date de sortie demande une date d'admission
reason-discharge_before_admission = la sortie du { $discharge } précède l'admission du { $admission }
reason-received_before_discharge = reçue le { $received }, avant la sortie du { $discharge }
reason-received_before_visit = reçue le { $received }, avant la consultation du { $visit }
reason-no_lines = la demande n'a aucune ligne
reason-no_diagnosis = la demande n'a aucun code de diagnostic
reason-not_icd10 = { $code } n'est pas un code CIM-10 (une lettre, deux chiffres et une subdivision facultative : I21.0)
reason-member_unknown = aucun membre { $member } au registre
reason-provider_unknown = aucune formation sanitaire { $facility } au registre
reason-not_empanelled = la formation sanitaire { $facility } n'était pas conventionnée le { $date } (conventionnée à partir du { $from }{ $to ->
        [none] {""}
       *[other] {" "}jusqu'au { $to }
    })
reason-member_pending = le membre { $member } est en attente depuis le { $since } (inscription incomplète) : il n'a pas droit aux prestations
reason-member_inactive = le membre { $member } est inactif depuis le { $since }
reason-member_deceased = le membre { $member } est décédé le { $since }, avant la date des soins
reason-no_scheme_version = le régime { $scheme } n'a aucune version en vigueur le { $date }
reason-not_covered = le membre { $member } n'était pas couvert le { $date }
reason-cover_suspended = couverture suspendue depuis le { $since } : cotisations impayées au-delà du délai de grâce de { $days } jours ({ $arrears } d'arriérés)
reason-package_not_in_version = le paquet { $package } du membre n'est pas dans la version du régime du { $version }
reason-bad_quantity_or_price = quantité { $quantity } à { $price } l'unité : une ligne demande une quantité d'au moins 1 et un prix positif
reason-service_not_in_package = la prestation { $service } n'est pas dans le paquet { $package }
reason-service_not_at_level = la prestation { $service } n'est fournie qu'au niveau { $levels }, pas au niveau { $level } ({ $facility })
reason-setting_not_covered = { $covered ->
        [inpatient] { $category } ne couvre que les séjours, pas { $setting ->
            [inpatient] un séjour
           *[other] une consultation
        }
        [outpatient] { $category } ne couvre que les consultations, pas { $setting ->
            [inpatient] un séjour
           *[other] une consultation
        }
       *[other] { $category } ne couvre aucun soin
    }
reason-clinical_category_not_covered = { $category } couvre les soins { $covered }, pas { $clinical }
reason-condition_not_covered = { $category } ne couvre que les affections { $conditions } ; le diagnostic est { $diagnosis }
reason-sex_restriction = la prestation { $service } est réservée aux patients de sexe { $sex ->
        [female] féminin
        [male] masculin
       *[other] { $sex }
    }
reason-age_restriction = la prestation { $service } est réservée aux patients de { $min } { $max ->
        [any] ans et plus
       *[other] à { $max } ans
    } ; âge du patient : { $age }
reason-waiting_period = { $category } : délai de carence de { $days } jours, couverture à partir du { $from } (adhésion le { $began })
reason-frequency_twice_in_claim = la prestation { $group } n'est permise qu'une fois tous les { $months } mois ; cette demande la compte deux fois
reason-frequency_already_claimed = la prestation { $group } n'est permise qu'une fois tous les { $months } mois ; la demande { $claim } du { $date } la compte déjà
reason-above_tariff = montant réduit de { $cut } : au-dessus du tarif de la prestation { $service } au niveau { $level } ({ $quantity } × { $price } demandés, tarif de { $tariff } l'unité)
reason-exempt = pas de ticket modérateur pour { $category } : le membre en est exempté ({ $group ->
        [poor] indigent
        [pregnant] femme enceinte
        [under_five] enfant de moins de cinq ans
       *[other] { $group }
    })
reason-share_fixed = le membre paie { $share } : un ticket modérateur de { $amount } par consultation ou séjour
reason-share_by_level = le membre paie { $share } : un ticket modérateur de { $amount } au niveau { $level }
reason-share_percent = le membre paie { $share } : un ticket modérateur de { $percent } %
reason-share_deductible = le membre paie { $share } : une franchise de { $amount } par année de couverture
reason-annual_limit = montant réduit de { $cut } : le plafond { $per ->
        [family] familial
        [member] individuel
       *[other] { $per }
    } de { $category } ({ $limit } par année de couverture à partir du { $year }) est atteint ; il restait { $left }
reason-annual_limit_raised = montant réduit de { $cut } : le plafond { $per ->
        [family] familial
        [member] individuel
       *[other] { $per }
    } de { $category } ({ $limit } par année de couverture à partir du { $year }, relevé à { $raised } pour { $case }) est atteint ; il restait { $left }
reason-limit_raised = { $above } au-delà du plafond de { $limit } de { $category } au titre du cas de relèvement { $case }
reason-allowance_per_discharge = indemnité de { $kind ->
        [transport] transport
        [food] repas
       *[other] { $kind }
    } de { $amount } (par sortie ; { $when ->
        [non_local] patient venu d'un autre district que celui de la formation sanitaire
        [after_delivery] femme sortie après un accouchement
        [always] à chaque sortie
       *[other] { $when }
    } ; { $category })
reason-allowance_per_day = indemnité de { $kind ->
        [transport] transport
        [food] repas
       *[other] { $kind }
    } de { $amount } ({ $daily } par jour pendant { $days } jours ; { $when ->
        [non_local] patient venu d'un autre district que celui de la formation sanitaire
        [after_delivery] femme sortie après un accouchement
        [always] à chaque sortie
       *[other] { $when }
    } ; { $category })
reason-exempt_charged = la formation sanitaire a perçu { $collected } d'un membre exempté du ticket modérateur ({ $group ->
        [poor] indigent
        [pregnant] femme enceinte
        [under_five] enfant de moins de cinq ans
       *[other] { $group }
    }) ; la part officielle est de { $official }
reason-copay_above_official = la formation sanitaire a perçu { $collected }, au-delà du ticket modérateur officiel de { $official }
reason-duplicate_claim = doublon probable de la demande { $claim } (même membre, même formation sanitaire, mêmes dates, reçue le { $received })
reason-review_random = tirée dans l'échantillon aléatoire de { $share } %
reason-review_amount = { $claimed } demandés, au-dessus du seuil de contrôle de { $threshold }
reason-review_length_of_stay = { $days } jours d'hospitalisation, plus de { $factor } fois la norme de { $norm } jours pour { $specialty }
reason-review_cost = { $claimed } demandés, plus de { $factor } fois la norme de { $norm } pour { $specialty }
reason-review_approved = acceptée au contrôle médical : { $note }
reason-review_adjusted = réduite de { $cut } au contrôle médical ({ $approved } accordés au lieu de { $before }) : { $note }
reason-review_rejected = rejetée au contrôle médical : { $note }
reason-appeal_reopened = rouverte sur recours { $grievance } : elle était { $status }, { $approved } acceptés sur { $claimed } demandés : { $note }
reason-after_death = le membre { $member } est décédé le { $since }, au plus tard au début des soins ({ $service }) : mise en attente de contrôle
reason-after_exit = le membre { $member } a quitté le régime le { $since }, au plus tard au début des soins ({ $service }) : mise en attente de contrôle

## La valeur d'un champ
field-required = Ce champ est obligatoire.
field-not-a-date = « { $text } » n'est pas une date (AAAA-MM-JJ).
field-not-a-whole-number = « { $text } » n'est pas un nombre entier.
field-not-a-number = « { $text } » n'est pas un nombre.
field-not-a-pair = « { $text } » n'est pas de la forme CLÉ=VALEUR.
field-key-twice = { $key } est donné deux fois.
field-not-an-amount = « { $text } » n'est pas un montant.

## La règle d'un champ enfreinte, une demande refusée à la réception (problem-ID : registry::PROBLEMS de carepool-core)
problem-not-one-of = { $value } n'est pas parmi : { $choices }
problem-empty = ne doit pas être vide
problem-spaces-around = { $value } est entouré d'espaces
problem-code-too-long = dépasse { $max } caractères
problem-code-control-character = contient un caractère de contrôle
problem-not-a-currency = { $value } n'est pas un code ISO 4217 de trois lettres
problem-not-a-language-tag = { $value } n'est pas une étiquette de langue comme en, fr ou fr-SN
problem-text-too-long = dépasse { $max } caractères
problem-not-one-line = contient { $what ->
        [line-break] un saut de ligne
        [nul] un octet NUL
       *[other] un caractère de contrôle
    } au caractère { $at } : un champ tient sur une ligne
problem-before = le { $date } est avant { $other_field } ({ $other })
problem-own-parent = un lieu ne peut pas être son propre parent
problem-location-loop = l'arborescence des lieux bouclerait, chaque lieu étant dans le suivant : { $path }
problem-poverty-score-range = { $score } n'est pas entre 0 et 100
problem-negative-wage = ne doit pas être négatif
problem-amount-not-positive = { $amount } n'est pas positif
problem-amount-negative = { $amount } est négatif
problem-not-a-month = { $text } n'est pas un mois AAAA-MM
problem-not-a-year = { $year } n'est pas une année
problem-population-range = { $population } n'est pas entre 0 et { $max }
problem-required = est obligatoire
problem-implausible-date = le { $date } n'est pas une date plausible : les dates vont du { $earliest } au { $latest }
problem-date-after-today = le { $date } est après aujourd'hui ({ $today }) : rien ne peut être daté à l'avance
problem-care-after-today = le { $date } est après aujourd'hui ({ $today }) : une demande porte sur des soins déjà donnés
problem-too-many-lines = { $lines } lignes ; une demande en compte au plus { $max }
problem-quantity-too-large = { $quantity } { $service } : la quantité d'une ligne est d'au plus { $max }
problem-price-too-large = { $price } pour { $service } : un prix unitaire est d'au plus { $max }
problem-claimed-too-large = les lignes demandent { $claimed } en tout ; une demande est d'au plus { $max }
problem-copay-out-of-range = { $collected } : ce qu'une formation sanitaire a perçu est entre 0 et { $max }
problem-taken = { $what ->
        [family] une autre famille
        [member] un autre membre
        [claim] une autre demande
        [claim_line] une autre ligne de demande
        [claim_reason] un autre motif de demande
        [contribution] une autre cotisation
        [coverage_period] une autre période de couverture
        [location] un autre lieu
        [payment] un autre paiement
        [payment_run] un autre ordre de paiement
        [provider] une autre formation sanitaire
        [scheme] un autre régime
        [scheme_version] une autre version de régime
        [user] un autre utilisateur
        [token] un autre jeton
       *[other] un autre { $what }
    } a déjà le même { $columns }
problem-user-taken = un utilisateur nommé { $name } existe déjà
problem-not-found = { $what ->
        [family] aucune famille
        [member] aucun membre
        [claim] aucune demande
        [claim_line] aucune ligne de demande
        [claim_reason] aucun motif de demande
        [contribution] aucune cotisation
        [coverage_period] aucune période de couverture
        [location] aucun lieu
        [payment] aucun paiement
        [payment_run] aucun ordre de paiement
        [provider] aucune formation sanitaire
        [scheme] aucun régime
        [scheme_version] aucune version de régime
        [user] aucun utilisateur
        [token] aucun jeton
       *[other] aucun { $what }
    } de clé { $key }
problem-needs-exposure = la méthode { $method } demande une exposition (primes acquises) par origine
problem-exposure-missing-origin = l'exposition n'a pas de valeur pour l'origine { $origin }
problem-excluded-unknown-origin = lien exclu { $origin }:{ $lag } : le triangle n'a pas d'origine { $origin }
problem-excluded-no-link = lien exclu { $origin }:{ $lag } : l'origine { $origin } n'a pas de lien depuis le développement { $lag }
problem-known-length = les demandes donnent des montants pour { $given } origines, le triangle en a { $origins }
problem-mack-model = les erreurs types de Mack demandent des facteurs pondérés par les volumes et pas de facteur de queue
problem-mack-too-short = trop peu de périodes de développement ont deux liens ou plus pour estimer les sigmas
problem-mack-no-log-linear = un sigma qui ne peut être estimé est tiré d'une droite log-linéaire passant par les périodes de développement dont le sigma est positif, et { $positive } en a un : le triangle est trop court ou trop régulier pour les erreurs types de Mack
problem-mack-origin-not-estimable = origine { $origin } : son erreur type ne peut pas être estimée
problem-no-links = le développement { $development } n'a aucun lien à moyenner (tous exclus ou aucune valeur ultérieure)
problem-zero-base = développement { $development } : un lien part de zéro, aucun facteur ne peut donc être moyenné
problem-bad-tail = le facteur de queue doit être un nombre supérieur à 0 et d'au plus { $max }, pas { $value }
problem-before-incurred = demande { $claim } : { $what ->
        [reported] déclarée
        [paid] payée
       *[other] { $what }
    } le { $date }, avant sa survenance le { $incurred }
problem-no-claims = aucune demande n'a été déclarée à la date d'évaluation du { $date }
problem-too-many-origins = les demandes de { $first } à la date d'évaluation font { $origins } origines par { $period ->
        [month] mois
        [quarter] trimestre
        [year] année
       *[other] { $period }
    } ; un triangle en a au plus { $max } : prenez une période d'origine plus longue
problem-exposure-length = l'exposition a { $given } valeurs pour { $origins } origines
problem-bad-exposure = l'exposition de l'origine { $origin } vaut { $value } ; elle doit être un nombre positif, d'au plus { $max }
problem-bad-loss-ratio = la sinistralité a priori doit être un nombre positif, d'au plus { $max }, pas { $value }
problem-bad-iterations = Benktander prend de 1 à { $max } itérations, pas { $value }
problem-study-dates = l'étude finit ({ $to }) avant de commencer ({ $from })
problem-bands-rise = les tranches { $factor ->
        [age] d'âge
        [duration] d'ancienneté
       *[other] { $factor }
    } doivent commencer à 0 et croître
problem-unknown-base = { $factor } : le niveau de base « { $level } » n'est pas parmi { $levels }
problem-no-exposure = aucun membre n'était couvert entre le { $from } et le { $to }
problem-study-after-data = l'étude commence le { $from }, après la fin des données le { $end } : donnez un début et une fin au plus tard le { $end }
problem-too-many-bands = tranches { $factor ->
        [age] d'âge
        [duration] d'ancienneté
       *[other] { $factor }
    } : au plus { $max }
problem-too-many-cells = l'étude aurait { $cells } cellules ({ $periods } périodes croisées avec chaque âge, sexe, zone et ancienneté) ; au plus { $max } : étudiez une période plus courte, découpez par année ou prenez moins de tranches
problem-past-budget = l'étude a pris plus que le temps accordé par le serveur, { $seconds } s, attente comprise : étudiez une période plus courte ou un régime à la fois

## Le rapport d'une étude : ses libellés (report-, d'après leur anglais : voir Texts::label) et ses notes
report-reserves-chain-ladder = Provisions : chain ladder
report-reserves-chain-ladder-with-mack-s-standard-errors = Provisions : chain ladder avec les erreurs types de Mack
report-reserves-bornhuetter-ferguson = Provisions : Bornhuetter-Ferguson
report-reserves-benktander = Provisions : Benktander
report-reserves-cape-cod = Provisions : Cape Cod
report-results-by-origin = Résultats par origine
report-development-factors = Facteurs de développement
report-cumulative-triangle = Triangle cumulé
report-incremental-triangle = Triangle incrémental
report-link-ratios-coloured-within-each-development = Facteurs individuels (colorés au sein de chaque développement)
report-ultimate-by-origin-known-to-date-and-still-to-come = Charge ultime par origine : connue à ce jour et encore à venir
report-paid-to-date = payé à ce jour
report-reported-to-date = déclaré à ce jour
report-reserve = provision
report-ultimate = charge ultime
report-ibnr = IBNR
report-rbnp = RBNP
report-still-owed-ibnr-rbnp = reste dû (IBNR + RBNP)
report-standard-error = erreur type
report-cv = cv
report-method = méthode
report-valuation-date = date d'évaluation
report-origin-period = période d'origine
report-development = développement
report-measure = mesure
report-average = moyenne
report-excluded-links = liens exclus
report-tail-factor = facteur de queue
report-last-sigma = dernier sigma
report-loss-ratio = sinistralité a priori
report-iterations = itérations
report-exposure = exposition
report-latest = dernière valeur connue
report-to-ultimate = facteur jusqu'à l'ultime
report-origin = origine
report-factor-to-next = facteur de développement
report-tail = queue
report-paid = payé
report-reported = déclaré
report-year = année
report-quarter = trimestre
report-month = mois
report-amount = montant
report-count = nombre
report-volume = volume
report-simple = simple
report-log-linear = log-linéaire
report-warning = Attention
report-unknown = inconnu
report-identity = identité
report-inverse = inverse
report-annual-limit-reached = plafond annuel atteint
report-experience-study = Étude d'expérience
report-claims = demandes
report-per-1-000 = pour 1 000
report-avg-claimed = montant moy. demandé
report-avg-approved = montant moy. accordé
report-avg-paid = montant moy. payé
report-avg-cost = coût moy.
report-alos = DMS
report-bed-days-per-1-000 = journées d'hospitalisation pour 1 000
report-risk-cost = coût du risque
report-cost = coût
report-glm-frequency = GLM, fréquence
report-glm-severity = GLM, coût moyen
report-member-years = années-membres
report-claims-per-1-000-members-a-year = demandes pour 1 000 membres par an
report-average-cost = coût moyen
report-risk-cost-per-member-year = coût du risque par année-membre
report-risk-cost-per-family-year = coût du risque par année-famille
report-from = du
report-to = au
report-split-by = découpage
report-age-bands = tranches d'âge
report-duration-bands = tranches d'ancienneté
report-glm-factors = facteurs des GLM
report-members = membres
report-claims-given = demandes fournies
report-member-years-active = années-membres (actifs)
report-member-years-pending = années-membres (en attente)
report-family-years = années-familles
report-average-family-size = taille moyenne des familles
report-average-family-size-with-pending-members = taille moyenne des familles, membres en attente compris
report-incidence-per-1-000-members = fréquence pour 1 000 membres
report-incidence-per-1-000-families = fréquence pour 1 000 familles
report-average-claimed = montant moyen demandé
report-average-approved = montant moyen accordé
report-average-paid = montant moyen payé
report-average-length-of-stay = durée moyenne de séjour
report-claims-of-unknown-members = demandes de membres inconnus
report-claims-outside-cover = demandes hors couverture
report-claims-of-pending-members = demandes de membres en attente
report-rejected-claims = demandes rejetées
report-summary = Synthèse
report-value = valeur
report-by-period = Par période
report-period = période
report-pending-exposure = exposition en attente
report-family-exposure = exposition des familles
report-family-size = taille des familles
report-base-table-by-clinical-category-and-specialty-rates-per-member-year-of-the-whole-population = Table de base par catégorie clinique et spécialité (taux par année-membre de toute la population)
report-clinical-category = catégorie clinique
report-specialty = spécialité
report-risk-cost-per-family = coût du risque par famille
report-share-of-cost = part du coût
report-completed-per-1-000 = complétée pour 1 000
report-completed-avg-cost = coût moyen complété
report-completed-risk-cost = coût du risque complété
report-completion-of-recent-months-chain-ladder-on-the-reporting-delays = Complétion des mois récents (chain ladder sur les délais de déclaration)
report-month-incurred = mois de survenance
report-months-developed = mois de développement
report-claims-factor = facteur des demandes
report-cost-factor = facteur du coût
report-one-way-relativities-by-age = Relativités univariées par âge
report-one-way-relativities-by-sex = Relativités univariées par sexe
report-one-way-relativities-by-area = Relativités univariées par zone
report-one-way-relativities-by-duration = Relativités univariées par ancienneté
report-incidence-relativity = relativité de fréquence
report-cost-relativity = relativité de coût
report-alos-relativity = relativité de DMS
report-risk-cost-relativity = relativité du coût du risque
report-base-level = niveau de base
report-coefficient = coefficient
report-estimate = estimation
report-std-error = erreur type
report-z-or-t = z ou t
report-relativity = relativité
report-lower-95 = borne basse à 95 %
report-upper-95 = borne haute à 95 %
report-family = loi
report-link = fonction de lien
report-deviance = déviance
report-degrees-of-freedom = degrés de liberté
report-null-deviance = déviance du modèle nul
report-null-degrees-of-freedom = degrés de liberté du modèle nul
report-dispersion = dispersion
report-aic = AIC
report-observations = observations
report-residual-degrees-of-freedom = degrés de liberté résiduels
report-coefficients = Coefficients
report-by-location = Par localité
report-location = localité
report-claimed-and-paid-by-year-of-incurral-every-claim-received = Demandé et payé par année de survenance (toutes les demandes reçues)
report-claimed = demandé
report-refused = refusé
report-approved = accordé
report-approved-not-paid = accordé, non payé
report-paid-share-of-claimed = part payée du demandé
report-claims-at-or-above-the-annual-limits = Demandes au plafond annuel ou au-delà
report-reason = motif
report-ownership = statut
report-public = public
report-private = privé
report-public-and-private-facilities = Formations sanitaires publiques et privées
report-share-of-claims = part des demandes
report-cells-the-glms-data-carepool-glm-data-reads-this-table = Cellules (les données des GLM ; carepool glm --data lit cette table)
report-age = âge
report-sex = sexe
report-area = zone
report-duration = ancienneté
report-bed-days = journées d'hospitalisation
report-member-years-by-period-active-and-pending = Années-membres par période : actifs et en attente
report-active = actifs
report-pending = en attente
report-incidence-relativity-by-age = Relativité de fréquence par âge
report-incidence-relativity-by-sex = Relativité de fréquence par sexe
report-total = total
report-risk-cost-per-member-year-by-line-of-the-base-table = Coût du risque par année-membre, par ligne de la table de base
report-projection-premium-adequacy-and-stress-tests = Projection : suffisance de la prime et tests de résistance
report-level-premium-per-member = prime nivelée par membre
report-lowest-under-the-stress-tests = minimum selon les tests de résistance
report-highest-under-the-stress-tests = maximum selon les tests de résistance
report-level-premium-per-family = prime nivelée par famille
report-lowest-per-family-under-the-stress-tests = minimum par famille selon les tests de résistance
report-highest-per-family-under-the-stress-tests = maximum par famille selon les tests de résistance
report-years-from-the-base-date-to-the-start = années de la date de base au début
report-base-table-carried-to-the-start-of-the-projection = Table de base portée au début de la projection
report-where-each-input-came-from = D'où vient chaque donnée
report-input = donnée
report-source = source
report-base-table = table de base
report-credibility = crédibilité
report-reform = réforme
report-base-date = date de base
report-relativities = relativités
report-population-mix = composition de la population
report-line-assumptions = hypothèses par ligne
report-trends-members-benefit-changes-new-benefits-loadings-and-stress-tests = tendances, membres, changements de garanties, nouvelles garanties, chargements et tests de résistance
report-credibility-the-scheme-s-own-experience-blended-with-the-reference = Crédibilité : l'expérience propre du régime combinée à la référence
report-incidence-weight = poids de la fréquence
report-own-per-1-000 = propre pour 1 000
report-reference-per-1-000 = référence pour 1 000
report-blended-per-1-000 = combinée pour 1 000
report-cost-weight = poids du coût
report-own-average-cost = coût moyen propre
report-reference-average-cost = coût moyen de référence
report-blended-average-cost = coût moyen combiné
report-reserve-refunded-at-the-end = réserve restituée à la fin
report-reserve-retained = réserve conservée
report-contract-years = années du contrat
report-premium-by-year = Prime par année
report-families = familles
report-risk-cost-per-member = coût du risque par membre
report-expense-share = part des frais
report-premium-per-member = prime par membre
report-premium-per-family = prime par famille
report-projected-base-table-every-year = Table de base projetée, année par année
report-line = ligne
report-incidence-per-1-000 = fréquence pour 1 000
report-reserve-over-the-contract-at-the-level-premium = Réserve sur la durée du contrat à la prime nivelée
report-opening = solde d'ouverture
report-premium-income = primes encaissées
report-expenses = frais
report-investment-income = produits financiers
report-closing = solde de clôture
report-stress-tests-level-premium-against-the-base = Tests de résistance : prime nivelée par rapport au scénario de base
report-scenario = scénario
report-change = écart
report-change-share = écart relatif
report-change-per-family = écart par famille
report-change-share-per-family = écart relatif par famille
report-premium-per-member-by-year = Prime par membre et par année
report-loadings = chargements
report-stress-tests-change-of-the-level-premium-per-family-against-the-base = Tests de résistance : écart de la prime nivelée par famille par rapport au scénario de base

note-reserve-reported-with-claims = Développement par date de déclaration : la provision est l'IBNR ; les demandes déclarées mais non payées (RBNP) viennent des demandes elles-mêmes, et le total restant à payer est IBNR + RBNP.
note-reserve-reported = Développement par date de déclaration : la provision est l'IBNR.
note-reserve-paid-with-claims = Développement par date de paiement : la provision est tout ce qui reste à payer ; le RBNP vient des demandes elles-mêmes, et l'IBNR est la provision moins le RBNP.
note-reserve-paid = Développement par date de paiement : la provision est tout ce qui reste à payer, IBNR et RBNP ensemble ; un triangle seul ne peut pas les séparer.
note-mack-sigma-mack = Erreurs types : Mack (1993), le sigma du dernier développement donné par la règle de Mack, min(σ⁴ₙ₋₁/σ²ₙ₋₂, σ²ₙ₋₂, σ²ₙ₋₁).
note-mack-sigma-log-linear = Erreurs types : Mack (1993), le sigma du dernier développement extrapolé de façon log-linéaire à partir des sigmas estimés.
note-standard-errors-mack-only = Erreurs types : seule la méthode mack les donne.
note-empty-origin = L'origine { $origin } n'a rien de déclaré : si les données s'arrêtent avant la date d'évaluation, évaluez la provision à la fin des données (--valuation) ; sa provision de 0 n'est pas une estimation.
note-empty-origins = Les { $count } dernières origines, de { $first } à { $last }, n'ont rien de déclaré : si les données s'arrêtent avant la date d'évaluation, évaluez la provision à la fin des données (--valuation) ; leur provision de 0 n'est pas une estimation.
note-falling = Les valeurs cumulées baissent dans { $falls } des { $steps } pas de développement du triangle : un triangle cumulé ne fait que monter, sauf recours. Si les valeurs sont celles de chaque période, lisez le triangle comme incrémental.
note-falling-negative = Les valeurs cumulées baissent dans { $falls } des { $steps } pas de développement du triangle, et la provision de l'origine ou des origines { $origins } est négative : un triangle cumulé ne fait que monter, sauf recours. Si les valeurs sont celles de chaque période, lisez le triangle comme incrémental.
note-paid-without-date = { $file } : { $count } demande(s) ont le statut « payé » mais pas de paid_date : elles comptent comme non encore payées, dans le RBNP et dans aucun développement par paiement.
note-exposure-days = L'exposition compte les jours exacts de couverture active ; un jour vaut 1/365 d'année (1/366 une année bissextile). Les membres en attente sont comptés à part et laissés hors des taux.
note-claims-incurred = Les demandes sont comptées à leur date de survenance (l'admission, ou la consultation), pour les membres et les jours de l'exposition ; les demandes rejetées et celles de membres en attente, non couverts ou inconnus sont laissées hors des taux.
note-cost-owed = Le coût est ce que le régime doit : le montant accordé une fois la demande décidée, le montant demandé avant ; le coût du risque est le coût par année-membre.
note-factor-not-given = Les données ne donnent pas { $factor ->
        [age] l'âge
        [sex] le sexe
        [area] la zone
        [duration] l'ancienneté
       *[other] { $factor }
    } : ce n'est pas un facteur de l'étude.
note-silent-period = La dernière période, { $last }, a des membres couverts et aucune demande : si les demandes ne sont pas encore dans les données, arrêtez l'étude (--to) là où elles s'arrêtent ; ces années-membres font baisser tous les taux.
note-completion = Les mois récents sont complétés : les demandes et le coût de chaque mois multipliés par son facteur de complétion, tiré du chain ladder sur les délais de déclaration des demandes, évalué au { $valued } (le dernier mois, { $month } : demandes x { $claims }, coût x { $cost }) ; les chiffres complétés de la table de base les portent.
note-completion-no-dates = Les demandes ne disent pas quand elles ont été reçues : les mois récents ne sont pas complétés, et les demandes pas encore arrivées font baisser leurs taux.
note-completion-no-full-month = Les données s'arrêtent avant la fin du premier mois de l'étude : aucun mois n'a pu se développer, et les mois récents ne sont pas complétés.
note-completion-young-as-reported = Aucune demande n'a été déclarée avant d'avoir { $months } mois : les mois plus récents n'ont rien à partir de quoi croître et restent tels que déclarés.
note-silent-periods = Les { $count } dernières périodes, de { $first } à { $last }, ont des membres couverts et aucune demande : si les demandes ne sont pas encore dans les données, arrêtez l'étude (--to) là où elles s'arrêtent ; ces années-membres font baisser tous les taux.
note-study-ends-today = L'étude devait finir le { $asked } ; l'exposition et les demandes s'arrêtent le { $end }, aujourd'hui : les jours suivants ne sont pas encore passés.
note-study-ends-with-the-claims = L'étude devait finir le { $asked } ; l'exposition et les demandes s'arrêtent le { $end }, dernier jour où une demande a été reçue : les données ne disent rien des jours suivants.
note-glm-factor-left-out = { $factor ->
        [age] L'âge
        [sex] Le sexe
        [area] La zone
        [duration] L'ancienneté
       *[other] { $factor }
    } n'entre pas dans les GLM : les données lui donnent moins de deux niveaux.
note-glm-unknown-left-out = { $years } années-membres dont un facteur n'est pas connu sont laissées hors des GLM.
note-glm-aliased = Le GLM { $model ->
        [frequency] de fréquence
        [severity] de coût moyen
       *[other] { $model }
    } n'a pas pu être ajusté : { $term } est colinéaire aux termes qui le précèdent (ou n'a aucun poids), son effet ne peut donc pas être isolé.
note-glm-too-few = Le GLM { $model ->
        [frequency] de fréquence
        [severity] de coût moyen
       *[other] { $model }
    } n'a pas pu être ajusté : { $parameters } paramètres ne peuvent pas être estimés sur { $observations } observations.
note-glm-not-converged = Le GLM { $model ->
        [frequency] de fréquence
        [severity] de coût moyen
       *[other] { $model }
    } n'a pas pu être ajusté : l'ajustement n'a pas convergé en { $iterations } itérations.
note-glm-no-data = Le GLM { $model ->
        [frequency] de fréquence
        [severity] de coût moyen
       *[other] { $model }
    } n'a pas pu être ajusté : il n'y a aucune observation.
note-glm-no-residual = Le GLM { $model ->
        [frequency] de fréquence
        [severity] de coût moyen
       *[other] { $model }
    } n'a pas pu être ajusté : il a autant d'observations que de paramètres ({ $parameters }), et il n'en reste aucune pour estimer sa dispersion, ni ses erreurs types.
note-glm-fitted-exactly = Le GLM { $model ->
        [frequency] de fréquence
        [severity] de coût moyen
       *[other] { $model }
    } n'a pas pu être ajusté : la moyenne de chaque groupe égale sa valeur ajustée (comme quand chaque sinistre coûte le même montant, un forfait), sa dispersion est donc nulle et ses erreurs types ne diraient rien.
note-glm-not-fitted = Le GLM { $model ->
        [frequency] de fréquence
        [severity] de coût moyen
       *[other] { $model }
    } n'a pas pu être ajusté : { $error }.
note-glm-base-level = { $factor } : niveau de base { $base } (relativité 1)
note-projection-lines = Chaque ligne de la table de base est projetée année par année, fréquence et coût moyen à part, chaque année centrée sur son milieu ; la prime est coût du risque / (1 - part des frais) + marge de sécurité x coût du risque.
note-projection-carried = La table de base est portée de sa date au début de la projection par les taux des années intermédiaires, chaque taux agissant sur la part de son année comprise dans l'intervalle (selon la convention de calendrier des hypothèses) ; les taux propres d'une ligne remplacent ceux du régime, et un montant fixe n'est pas indexé.
note-projection-level = La prime nivelée est celle dont la valeur actuelle sur le contrat, au rendement des placements, égale la valeur actuelle des primes annuelles, les flux de chaque année tombant en son milieu avec les membres (familles) attendus cette année-là ; sans rendement, c'est leur moyenne pondérée par les membres (familles). La réserve qu'elle constitue rapporte ce même rendement.
note-projection-range = Une prime n'est jamais la réponse à elle seule : les tests de résistance en donnent la fourchette.
note-input-base-study-completed = étude d'expérience { $study } (du { $from } au { $to }) : { $lines } lignes, mois récents complétés (ses facteurs de complétion, évalués au { $valued })
note-input-base-study-reported = étude d'expérience { $study } (du { $from } au { $to }) : { $lines } lignes, telles que déclarées (l'étude n'a pas de complétion)
note-input-base-table-file = { $file } : { $lines } lignes
note-input-base-inline = le fichier d'hypothèses : { $lines } lignes
note-input-credibility-file = la table de base combinée à la référence { $reference } par crédibilité à fluctuations limitées ({ $probability } % à { $tolerance } % près : poids plein à { $incidence } demandes pour une fréquence, { $cost } pour un coût moyen)
note-input-credibility-inline = la table de base combinée à la référence donnée dans le fichier par crédibilité à fluctuations limitées ({ $probability } % à { $tolerance } % près : poids plein à { $incidence } demandes pour une fréquence, { $cost } pour un coût moyen)
note-input-reform = réforme { $file } : { $proposal } jugée sur les demandes du régime { $scheme } du { $from } au { $to } ; ses facteurs de fréquence et de coût moyen changent { $lines } lignes
note-input-date-study = le milieu de la période de l'étude : { $date }
note-input-date-file = le fichier d'hypothèses : { $date }
note-input-none = non donnée
note-input-relativities-glm = les GLM de fréquence et de sévérité de l'étude
note-input-relativities-one-way = les tables à une dimension de l'étude
note-input-relativities-none = aucune : chaque cellule vaut 1
note-input-mix-study-ahead = les années-membres de l'étude par âge, sexe et zone ({ $cells } cellules) ; les parts à venir (ou les membres) du fichier d'hypothèses
note-input-mix-study = les années-membres de l'étude par âge, sexe et zone ({ $cells } cellules), inchangées sur la projection
note-input-mix-none = aucune : la composition ne change pas
note-input-family-study = la taille moyenne des familles de l'étude : { $size }
note-input-file = le fichier d'hypothèses
note-costing-cost = Coût = personnes couvertes x coût par personne couverte de chaque prestation (sa moyenne de la première année, modifiée par la composition de la population et par les prix médicaux : inflation générale et surcroît d'inflation médicale).
note-costing-gap = Le déficit de financement est le coût moins les recettes indiquées.
note-early-warning = { $measure ->
    [incidence_per_1000] Incidence pour 1 000
    [average_cost] Coût moyen
   *[family_size] Taille des familles
} de { $line } : { $side ->
    [above] au-dessus de
   *[below] au-dessous de
} sa bande pendant { $months } mois depuis { $from } ; dernier mois { $observed } pour { $expected } attendu (bande de { $low } à { $high }).
note-early-warning-not-watched = { $why ->
    [no_premium_basis] Pas d'alerte précoce : le régime n'a pas de base de prime (carepool premium-basis register).
    [one_facility] Pas d'alerte précoce : les demandes d'un seul établissement ne disent rien de la prime.
   *[other] Pas d'alerte précoce : nommez le régime à surveiller (--scheme).
}
note-reform-judged = Les demandes des familles du régime sont jugées deux fois, famille par famille dans l'ordre de réception : selon les versions du régime enregistrées, et selon la proposition comme si elle avait toujours été en vigueur ; les demandes d'avant la période, et celles reçues entre-temps pour des soins postérieurs, sont jugées pour les plafonds et les règles de fréquence qu'elles laissent, et seules celles de la période sont comptées. Rien n'est écrit.
note-reform-contributions-kept = Les cotisations de la proposition diffèrent de celles du régime : les demandes sont jugées avec les cotisations demandées par les versions enregistrées (la couverture d'une famille dépend de ce qu'on lui a demandé de payer) ; la projection chiffre la prime.
note-reform-changed-listed = Les { $listed } premières demandes décidées autrement sont listées, sur { $count }.
note-reform-differs-from-recorded = { $count } demandes de la période sont décidées autrement par les règles enregistrées que dans la décision consignée (décision d'un médecin-conseil ou d'un recours, ou règles enregistrées depuis) : la comparaison porte sur les règles et la proposition, jugées toutes deux ici.

## Réclamations
nav-grievances = Réclamations
nav-new-grievance = Enregistrer une réclamation
grievances-title = Réclamations
grievances-none = Aucune réclamation ne répond à ces filtres.
grievances-more = Les { $shown } premières de { $found } réclamations : resserrez les filtres pour voir les autres.
grievances-overdue-only = Seulement celles en retard
grievance-new-title = Enregistrer une réclamation
grievance-title = Réclamation { $id }
column-category = Catégorie
column-owner = Responsable
column-filed-on = Reçue le
column-due = À traiter avant le
column-channel = Canal
column-priority = Priorité
grievance-filed-by = Qui se plaint
grievance-filed-by-member = un membre
grievance-filed-by-facility = une formation sanitaire
grievance-filed-by-staff = un agent
grievance-filer = Déposée par (numéro de membre, code de formation sanitaire ou nom d'utilisateur)
grievance-claim = Demande (formation/numéro)
grievance-description = Ce qui s'est passé
grievance-attachments = Pièces conservées (références, séparées par ;)
grievance-file = Enregistrer la réclamation
grievance-overdue = en retard
grievance-place = Traitée à
grievance-resolution = Décision
grievance-kind-upheld = Fondée
grievance-kind-partly_upheld = Partiellement fondée
grievance-kind-not_upheld = Non fondée
grievance-refund = Remboursement
grievance-refund-line = { $amount } au membre { $member }, déduits de { $facility } : { $status }
refund-status-due = en attente du prochain ordre de paiement
refund-status-refunded = payé au membre ; à déduire du prochain paiement de la formation sanitaire
refund-status-recovered = payé au membre et déduit de la formation sanitaire
refund-status-withdrawn = retiré
grievance-steps = Étapes
grievance-step = Étape
grievance-day = Jour
grievance-by = Par
grievance-note = Note
grievance-step-file = Reçue
grievance-step-assign = Attribuée
grievance-step-start = Prise en charge
grievance-step-resolve = Tranchée
grievance-step-close = Close
grievance-step-reopen = Rouverte
grievance-next = Étape suivante
grievance-do-assign = Attribuer
grievance-do-start = Prendre en charge
grievance-do-resolve = Trancher
grievance-do-close = Clore
grievance-do-reopen = Rouvrir
grievance-owner = Responsable (un utilisateur qui traite les réclamations de ce lieu)
grievance-kind = Conclusion
grievance-kind-needed = Choisissez la conclusion.
grievance-text = Ce qui a été constaté et fait (le membre en est informé)
grievance-refund-amount = Remboursement au membre (vide : tout ce que la formation a perçu sur la demande ; 0 : elle l'a rendu elle-même)
grievance-refund-not-amount = Le remboursement est un montant, comme 1500 ou 1 500,50.
grievance-why = Pourquoi elle est rouverte
grievance-status-received = Reçue
grievance-status-open = Ouverte
grievance-status-in_progress = En cours
grievance-status-resolved = Tranchée
grievance-status-closed = Close
grievance-channel-visit = visite
grievance-channel-phone = téléphone
grievance-channel-sms = SMS
grievance-channel-letter = courrier
grievance-channel-web = web
grievance-channel-community_representative = représentant communautaire
grievance-priority-low = Basse
grievance-priority-normal = Normale
grievance-priority-high = Haute
grievance-priority-urgent = Urgente
grievance-category-exempt_charged = Ticket modérateur demandé à un membre exonéré
grievance-category-claim_refused = Demande de remboursement refusée
grievance-category-claim_appeal = Recours contre la décision sur une demande
grievance-category-card_or_enrolment = Carte ou adhésion
grievance-category-poor_treatment = Mauvais accueil ou mauvais soins
grievance-category-waiting_time = Attente
grievance-category-other = Autre
grievance-refund-none = Pas de remboursement par le régime : retiré, ou écarté par une décision.
grievance-location = Lieu qui la traite (vide : celui de la famille, sinon de la formation sanitaire)
grievance-scheme = Régime (vide : celui de la famille, ou le seul)
grievance-cover-from = Couverture à partir du (un recours fondé inscrit le membre après le contrôle d'éligibilité)
grievance-package = Paquet de prestations (vide : le premier du régime)
grievance-category-enrolment_appeal = Recours contre un refus d'éligibilité
