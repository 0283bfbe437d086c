# carepool's pages in English. Every catalogue holds the same messages with the same variables
# (a test checks): to add a language, copy this file to locales/TAG.ftl and translate it.

language-name = English

## Dates, counts and amounts
date = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
digit-group = ,
decimal-mark = .

## Every page
skip-to-content = Skip to the content
nav-label = Main
nav-home = Home
nav-password = Change password
sign-out = Sign out
back-home = Back to the home page
form-problems = There is a problem with what was sent
role-admin = administrator
role-enrolment_officer = enrolment officer
role-finance_officer = finance officer
role-claims_officer = claims officer
role-medical_reviewer = medical reviewer
role-manager = manager
role-actuary = actuary
role-auditor = auditor
role-facility = facility

## Errors
error-not-found = Not found
error-refused = Not allowed
error-unauthenticated = Please sign in
error-invalid = Not done
error-fault = Something went wrong
refused-role = Your role does not allow this page.
refused-csrf = This form was sent without its security token, so nothing was done. Open the page again and send it from there.
page-not-found = There is no page at this address.

## Signing in
sign-in-title = Sign in
sign-in = Sign in
field-user-name = User name
field-password = Password
languages = Languages
sign-in-refused = Wrong user name or password.
sign-in-locked = Too many failed sign-ins for this name: try again in { $minutes } minute(s).
sign-in-form-expired = The sign-in form had expired. Please sign in again.
password-changed = Your password has been changed. Sign in with the new one.

## Changing one's password
password-title = Change your password
field-password-current = Current password
field-password-new = New password
field-password-repeated = New password again
password-hint = At least { $chars } characters. Every session of yours ends: you sign in again.
password-change = Change password
password-current-wrong = This is not your current password.
password-not-repeated = The two new passwords differ.
password-too-short = The new password is shorter than { $chars } characters.

## Home
home-title = Today's work
home-greeting = Signed in as { $name }.
home-nothing = Nothing is waiting for you.
home-more = The first { $count } are shown; there are more.
home-pending-members = Members waiting to be confirmed
home-no-pending-members = No member is waiting to be confirmed.
home-claims-in-review = Claims waiting for a medical review
home-no-claims-in-review = No claim is waiting for a review.
home-runs-to-release = Payment runs waiting to be released
home-no-runs-to-release = No payment run is waiting to be released.
column-member = Member
column-name = Name
column-family = Family
column-since = Since
column-claim = Claim
column-received = Received
column-claimed = Claimed
column-run = Payment run
column-proposed-by = Proposed by
column-claims = Claims
column-to-facilities = To facilities
column-to-patients = To patients

## The registry
nav-members = Members
search-title = Find a member or a family
search-label = Name, member id, national id or family id
search-hint = A part of the name is enough; accents and capitals do not matter.
search = Search
search-none = No member answers “{ $wanted }”.
search-results = Members answering “{ $wanted }”, page { $page }
pages = Pages
page-previous = Previous page
page-next = Next page
column-born = Born
column-status = Status
column-relationship = Relationship
column-sex = Sex
column-card = Card
column-from = From
column-to = To
column-package = Package
column-receipt = Receipt
column-payer = Paid by
column-period = Period
column-amount = Amount
column-paid-on = Paid on
column-care-date = Care on
column-approved = Approved
member-status-active = active since { $since }
member-status-pending = pending since { $since }
member-status-inactive = inactive since { $since }
member-status-deceased = died on { $since }
relationship-head = head
relationship-spouse = spouse
relationship-child = child
relationship-parent = parent
relationship-other = other
sex-F = female
sex-M = male
payer-member = member
payer-employer = employer
payer-worker = worker
payer-government = government
payer-social_fund = social fund
payer-donor = donor
claim-status-received = received
claim-status-in_review = in review
claim-status-approved = approved
claim-status-partially_approved = partly approved
claim-status-rejected = rejected
claim-status-paid = paid
action-create = created
action-update = changed
action-import = imported
family-title = Family { $id }
family-scheme = Scheme
family-location = Location
family-household = Household
family-standing = Standing today
standing-covered = covered: contributions up to date
standing-suspended = cover suspended since { $since } for want of contributions
family-paid-through = Paid through
family-arrears = Arrears
family-members = Members
family-cover = Cover
family-no-cover = No member has cover.
open-ended = open
family-contributions = Contributions
family-no-contributions = No contribution recorded.
family-claims = Latest claims
family-no-claims = No claim.
family-history = History of the family's record
card-link = Card
card-title = Member card { $id }
card-print = Print this page to make the card; the code holds the member's id.

## The registry's forms
nav-new-family = New family
actions = Actions
action-add-member = Add a member
action-give-cover = Enrol a member (cover)
action-record-contribution = Record a contribution
action-change-status = Status
save = Save
not-eligible = Not eligible: { $message } (rule { $rule })
family-new = Register a family
member-new = Add a member to family { $family }
cover-new = Enrol a member of family { $family }
cover-not-in-family = This member is not of family { $family }.
contribution-new = Record a contribution of family { $family }
receipt-title = Receipt { $receipt }
receipt-print = Print this page and hand it to the payer.
status-change = Status of { $member }, { $name }
status-active = active
status-pending = pending
status-inactive = inactive (left the scheme)
status-deceased = deceased
field-families-id = Family id
field-families-scheme = Scheme code
field-families-location_code = Location code (village)
field-families-household_id = Household id
field-families-poverty_score = Poverty score (0 to 100)
field-members-id = Member id
field-members-name = Full name
field-members-relationship = Relationship to the head
field-members-sex = Sex
field-members-birth_date = Date of birth
field-members-national_id = National id
field-members-categories = Eligibility categories (separated by ;)
field-members-monthly_wage = Monthly wage
field-members-status = Status
field-members-status_since = Status since (the day of death for a death)
field-coverage-member_id = Member id
field-coverage-start_date = Cover from
field-coverage-end_date = Cover to (empty: open)
field-coverage-package = Benefit package (empty: the scheme's first)
field-contributions-receipt = Receipt number
field-contributions-payer = Paid by
field-contributions-period_start = Period from
field-contributions-period_end = Period to
field-contributions-amount = Amount
field-contributions-paid_on = Paid on

## Claims
nav-claims = Claims
nav-new-claim = New claim
nav-review = Review
claims-title = Claims
claims-none = No claim answers these filters.
filter = Show
filter-facility = Facility
filter-district = District
filter-from = Care from
filter-to = Care to
not-a-date = “{ $text }” is not a date (YYYY-MM-DD).
claim-title = Claim { $id }
claim-visit = Visit
claim-stay = Stay
claim-admission = Admitted on
claim-discharge = Discharged on
claim-category = Clinical category
claim-specialty = Specialty
claim-diagnosis = Diagnosis
claim-diagnosis-codes = Diagnosis codes (ICD-10, principal first)
claim-decided = Decided on
claim-paid-on = Paid on
claim-amounts = Amounts
claim-amounts-hint = Claimed = approved + member share + rejected. The allowance is paid to the patient.
claim-member-share = Member share
claim-rejected = Rejected
claim-allowance = Allowance
claim-paid = Paid
claim-lines = Lines
claim-service = Service
claim-quantity = Quantity
claim-unit-price = Unit price
claim-tariff = Tariff
claim-reasons = Reasons
claim-no-reasons = No reason: the claim was approved as claimed.
claim-line = line { $line }
claim-review-note = Reviewer's note:
claim-number = Claim number
claim-care-date = Day of care
claim-copay = Co-payment collected from the patient
claim-send = Send the claim
claim-new-title = New claim
claim-unknown-member = No member { $member } is known here.
cover-check = Check cover
cover-yes = { $member } is covered on { $date }
cover-no = { $member } is not covered on { $date }
cover-category = Benefit category
cover-limit = Limit
cover-used = Used
cover-left = Left
cover-no-limit = no limit
cover-waiting = waiting until { $until }
review-queue-title = Claims waiting for a medical review
review-title = Your decision
review-decision = Decision
review-approve = Approve as judged
review-adjust = Adjust the approved amount
review-reject = Reject
review-approved = Approved amount (to adjust)
review-note = Note (why)
review-not-duplicate = This is not a duplicate
review-send = Record the decision
review-approved-needed = Give the approved amount to adjust to.
review-decision-needed = Choose approve, adjust or reject.

## Payments
nav-payments = Payments
payments-title = Payment runs
payments-month = Month (YYYY-MM)
payments-propose = Propose the run of { $period }
payments-none = No payment run for { $period } yet.
payments-nothing-due = Nothing was due: no run was proposed.
payments-run = Run { $run }
run-proposed = proposed, waiting to be released
run-released = released and paid
run-released-by = Released by
run-remittances = Remittance advice per facility:
run-release-by-another = You proposed this run: another finance officer releases it.
run-paid-on = Paid on
run-release = Release and pay
remittance-title = Remittance advice to { $facility }, run { $run }
remittance-deducted = Deducted (member share and refused)
remittance-paid = Paid
remittance-total = Total
download = Download:

## Studies
nav-reserve = Reserves
nav-experience = Experience
study-reserve-title = Reserves (IBNR and RBNP)
study-experience-title = Experience study
study-run = Run the study
study-settings = Settings and basis of the study
study-empty-table = No row.
study-more-rows = The first { $shown } rows of { $rows } are shown; the downloads hold them all.
study-method = Method
study-origin = Origin periods
study-development = Development of the claims
study-measure = Measure
study-valuation = Valuation date (default today)
study-average = Average of the factors (volume, simple or N)
study-tail = Tail factor
study-loss_ratio = A priori loss ratio (bf, benktander)
study-scheme = Scheme (default all)
study-from = From
study-to = To (default today)
study-split = Split by
study-glm_factors = GLM factors (age, sex, area, duration)
study-base = Base level by factor: FACTOR=LEVEL, separated by semicolons (e.g. sex=F; area=rural)
nav-projection = Projection
study-projection-title = Projection and stress tests
study-assumptions = Assumptions (the file carepool project reads)
study-assumptions-hint = Paste the TOML assumptions file, the base table's lines inline (docs/PROJECTION.md).
study-exclude = Links left out (ORIGIN:LAG, separated by commas)
study-sigma = Last sigma (mack)
study-iterations = Iterations (benktander)
study-exposure = Earned premium by origin (bf, benktander, cape-cod): ORIGIN=AMOUNT, separated by semicolons
study-age_bands = Age bands' starts (e.g. 0, 5, 15, 25, 45, 65)
study-duration_bands = Duration bands' starts, in months
study-default = (the method's default)
choice-mack = Mack
choice-chain-ladder = chain ladder
choice-bf = Bornhuetter-Ferguson
choice-benktander = Benktander
choice-cape-cod = Cape Cod
choice-log-linear = log-linear
choice-quarter = quarter
choice-month = month
choice-year = year
choice-reported = reported
choice-paid = paid
choice-amount = amount
choice-count = count

## Why an enrolment is refused
refusal-died = the member died on { $date }
refusal-inactive = the member is inactive since { $date }
refusal-before_birth = cover cannot start before birth ({ $date })
refusal-child_past_age = a child aged { $age } is past the family unit's age limit of { $limit }
refusal-poverty_score_above = poverty score { $score } is above the threshold { $threshold }
refusal-poverty_score_missing = family { $family } has no poverty score to compare with { $threshold }
refusal-no_category = no member is in an eligible category ({ $categories })

## Why a claim or a line was cut, refused, shared, flagged or sent to review
reason-dates_both = give a visit date, or admission and discharge dates, not both
reason-dates_none = no visit date and no admission date
reason-stay_without_discharge = a stay needs a discharge date
reason-discharge_without_admission = a discharge date needs an admission date
reason-discharge_before_admission = the discharge on { $discharge } is before the admission on { $admission }
reason-received_before_discharge = received on { $received }, before the discharge on { $discharge }
reason-received_before_visit = received on { $received }, before the visit on { $visit }
reason-no_lines = the claim has no lines
reason-no_diagnosis = the claim has no diagnosis code
reason-not_icd10 = { $code } is not an ICD-10 code (a letter, two digits, and an optional subdivision: I21.0)
reason-member_unknown = no member { $member } in the registry
reason-provider_unknown = no facility { $facility } in the registry
reason-not_empanelled = facility { $facility } was not empanelled on { $date } (empanelled from { $from }{ $to ->
        [none] {""}
       *[other] {" "}to { $to }
    })
reason-member_pending = member { $member } is pending since { $since } (registration incomplete): not entitled to claim
reason-member_inactive = member { $member } is inactive since { $since }
reason-member_deceased = member { $member } died on { $since }, before the date of service
reason-no_scheme_version = scheme { $scheme } has no version in force on { $date }
reason-not_covered = member { $member } had no cover on { $date }
reason-cover_suspended = cover suspended since { $since }: contributions unpaid past the { $days }-day grace period ({ $arrears } in arrears)
reason-package_not_in_version = the member's package { $package } is not in the scheme version of { $version }
reason-bad_quantity_or_price = quantity { $quantity } at { $price } each: a line needs a quantity of at least 1 and a positive price
reason-service_not_in_package = service { $service } is not in package { $package }
reason-service_not_at_level = service { $service } is provided at level { $levels } only, not at level { $level } ({ $facility })
reason-setting_not_covered = { $covered ->
        [inpatient] { $category } covers stays only, not { $setting ->
            [inpatient] a stay
           *[other] a visit
        }
        [outpatient] { $category } covers visits only, not { $setting ->
            [inpatient] a stay
           *[other] a visit
        }
       *[other] { $category } covers no care
    }
reason-clinical_category_not_covered = { $category } covers { $covered } care, not { $clinical }
reason-condition_not_covered = { $category } covers the conditions { $conditions } only; the diagnosis is { $diagnosis }
reason-sex_restriction = { $service } is for { $sex ->
        [female] female
        [male] male
       *[other] { $sex }
    } patients only
reason-age_restriction = { $service } is for patients aged { $min } { $max ->
        [any] and over
       *[other] to { $max }
    }; the patient's age: { $age }
reason-waiting_period = { $category } has a { $days }-day waiting period: covered from { $from } (cover began on { $began })
reason-frequency_twice_in_claim = { $group } is allowed once per { $months } months; this claim has it twice
reason-frequency_already_claimed = { $group } is allowed once per { $months } months; claim { $claim } of { $date } already has it
reason-above_tariff = cut by { $cut }: above the tariff for service { $service } at level { $level } ({ $quantity } × { $price } claimed, tariff { $tariff } each)
reason-exempt = no cost sharing for { $category }: the member is exempt ({ $group ->
        [poor] poor
        [pregnant] pregnant woman
        [under_five] child under five
       *[other] { $group }
    })
reason-share_fixed = the member pays { $share }: a co-payment of { $amount } per visit or stay
reason-share_by_level = the member pays { $share }: a co-payment of { $amount } at level { $level }
reason-share_percent = the member pays { $share }: a co-payment of { $percent }%
reason-share_deductible = the member pays { $share }: a deductible of { $amount } per coverage year
reason-annual_limit = cut by { $cut }: the { $per ->
        [family] family
        [member] member
       *[other] { $per }
    } limit for { $category } ({ $limit } per coverage year from { $year }) is reached; { $left } was left
reason-annual_limit_raised = cut by { $cut }: the { $per ->
        [family] family
        [member] member
       *[other] { $per }
    } limit for { $category } ({ $limit } per coverage year from { $year }, raised to { $raised } for { $case }) is reached; { $left } was left
reason-limit_raised = { $above } above the { $category } limit of { $limit } under the limit-raising case { $case }
reason-allowance_per_discharge = { $kind ->
        [transport] transport
        [food] food
       *[other] { $kind }
    } allowance of { $amount } (per discharge; { $when ->
        [non_local] patient from outside the facility's district
        [after_delivery] woman discharged after a delivery
        [always] every discharge
       *[other] { $when }
    }; { $category })
reason-allowance_per_day = { $kind ->
        [transport] transport
        [food] food
       *[other] { $kind }
    } allowance of { $amount } ({ $daily } a day for { $days } days; { $when ->
        [non_local] patient from outside the facility's district
        [after_delivery] woman discharged after a delivery
        [always] every discharge
       *[other] { $when }
    }; { $category })
reason-exempt_charged = the facility collected { $collected } from a member exempt from cost sharing ({ $group ->
        [poor] poor
        [pregnant] pregnant woman
        [under_five] child under five
       *[other] { $group }
    }); the official share is { $official }
reason-copay_above_official = the facility collected { $collected }, above the official co-payment of { $official }
reason-duplicate_claim = probable duplicate of claim { $claim } (same member, facility and dates, received on { $received })
reason-review_random = drawn in the { $share }% random sample
reason-review_amount = claimed { $claimed }, above the review threshold of { $threshold }
reason-review_length_of_stay = { $days } days in hospital, more than { $factor } times the norm of { $norm } days for { $specialty }
reason-review_cost = claimed { $claimed }, more than { $factor } times the norm of { $norm } for { $specialty }
reason-review_approved = approved on review: { $note }
reason-review_adjusted = cut by { $cut } on review (approved { $approved } instead of { $before }): { $note }
reason-review_rejected = rejected on review: { $note }
reason-after_death = member { $member } died on { $since }, on or before the care began ({ $service }): held for review
reason-after_exit = member { $member } left the scheme on { $since }, on or before the care began ({ $service }): held for review

## A field's value
field-required = This field is required.
field-not-a-date = “{ $text }” is not a date (YYYY-MM-DD).
field-not-a-whole-number = “{ $text }” is not a whole number.
field-not-a-number = “{ $text }” is not a number.
field-not-a-pair = “{ $text }” is not KEY=VALUE.
field-key-twice = { $key } is given twice.
field-not-an-amount = “{ $text }” is not an amount.
