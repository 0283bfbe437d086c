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
role-grievance_officer = grievance officer
role-monitor = monitor (metrics)

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
run-refunds = Refunds to exempt patients charged
run-refunds-count = { $refunds } paid or recovered
run-recovered = { $amount } deducted from facilities
run-release = Release and pay
remittance-title = Remittance advice to { $facility }, run { $run }
remittance-deducted = Deducted (member share and refused)
remittance-paid = Paid
remittance-total = Total
remittance-refunds = Refunds to patients charged despite an exemption, deducted
remittance-refunds-none = No refund deducted from this payment.
column-grievance = Grievance
download = Download:

## Studies
nav-reserve = Reserves
nav-experience = Experience
study-reserve-title = Reserves (IBNR and RBNP)
study-experience-title = Experience study
study-run = Run the study
study-settings = Settings and basis of the study
study-empty-table = No row.
study-warning = Warning:
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
study-glm_factors = GLM factors (age, sex, area, duration, period)
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
reason-appeal_reopened = reopened on appeal { $grievance }: it was { $status }, { $approved } approved of { $claimed } claimed: { $note }
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

## A field's rule broken, a claim refused at intake (problem-ID: carepool-core's registry::PROBLEMS)
problem-not-one-of = { $value } is not one of: { $choices }
problem-empty = must not be empty
problem-spaces-around = { $value } has spaces around it
problem-code-too-long = is longer than { $max } characters
problem-code-control-character = contains a control character
problem-not-a-currency = { $value } is not a three-letter ISO 4217 code
problem-not-a-language-tag = { $value } is not a language tag such as en, fr or fr-SN
problem-text-too-long = is longer than { $max } characters
problem-not-one-line = holds { $what ->
        [line-break] a line break
        [nul] a NUL byte
       *[other] a control character
    } at character { $at }: a field is one line of text
problem-before = { $date } is before { $other_field } { $other }
problem-own-parent = a location cannot be its own parent
problem-location-loop = the location tree would loop, each location lying in the next: { $path }
problem-poverty-score-range = { $score } is outside 0..100
problem-negative-wage = must not be negative
problem-amount-not-positive = { $amount } is not positive
problem-amount-negative = { $amount } is negative
problem-not-a-month = { $text } is not a month YYYY-MM
problem-not-a-year = { $year } is not a year
problem-population-range = { $population } is not between 0 and { $max }
problem-required = is required
problem-implausible-date = { $date } is not a plausible date: dates run from { $earliest } to { $latest }
problem-date-after-today = { $date } is after today ({ $today }): it cannot be dated ahead
problem-care-after-today = { $date } is after today ({ $today }): a claim is for care already given
problem-too-many-lines = { $lines } lines; a claim holds at most { $max }
problem-quantity-too-large = { $quantity } { $service }: a line's quantity is at most { $max }
problem-price-too-large = { $price } for { $service }: a unit price is at most { $max }
problem-claimed-too-large = the lines claim { $claimed } in all; a claim is for at most { $max }
problem-copay-out-of-range = { $collected }: what a facility collected is between 0 and { $max }
problem-taken = another { $what ->
        [family] family
        [member] member
        [claim] claim
        [claim_line] claim line
        [claim_reason] claim reason
        [contribution] contribution
        [coverage_period] coverage period
        [location] location
        [payment] payment
        [payment_run] payment run
        [provider] provider
        [scheme] scheme
        [scheme_version] scheme version
        [user] user
        [token] token
       *[other] { $what }
    } has the same { $columns }
problem-user-taken = a user named { $name } exists already
problem-not-found = no { $what ->
        [family] family
        [member] member
        [claim] claim
        [claim_line] claim line
        [claim_reason] claim reason
        [contribution] contribution
        [coverage_period] coverage period
        [location] location
        [payment] payment
        [payment_run] payment run
        [provider] provider
        [scheme] scheme
        [scheme_version] scheme version
        [user] user
        [token] token
       *[other] { $what }
    } with key { $key }
problem-needs-exposure = the { $method } method needs an exposure (earned premium) per origin
problem-exposure-missing-origin = the exposure has no value for origin { $origin }
problem-excluded-unknown-origin = excluded link { $origin }:{ $lag }: the triangle has no origin { $origin }
problem-excluded-no-link = excluded link { $origin }:{ $lag }: origin { $origin } has no link from development { $lag }
problem-known-length = the claims give amounts for { $given } origins, the triangle has { $origins }
problem-mack-model = Mack's standard errors need volume-weighted factors and no tail factor
problem-mack-too-short = too few development periods with two or more links to estimate the sigmas
problem-mack-no-log-linear = a sigma that cannot be estimated is filled from a log-linear line through the development periods whose sigma is above zero, and { $positive } has one: the triangle is too short or too regular for Mack's standard errors
problem-mack-origin-not-estimable = origin { $origin }: its standard error is not estimable
problem-no-links = development { $development } has no link to average (all excluded or no later value)
problem-zero-base = development { $development }: a link starts from zero, so no factor can be averaged
problem-bad-tail = the tail factor must be a number above 0 and at most { $max }, not { $value }
problem-before-incurred = claim { $claim }: { $what } on { $date } is before it was incurred on { $incurred }
problem-no-claims = no claim was reported by the valuation date { $date }
problem-too-many-origins = the claims from { $first } to the valuation make { $origins } origins by { $period }; a triangle has at most { $max }: take a longer origin period
problem-exposure-length = the exposure has { $given } values for { $origins } origins
problem-bad-exposure = the exposure of origin { $origin } is { $value }; it must be a positive number, at most { $max }
problem-bad-loss-ratio = the a priori loss ratio must be a positive number, at most { $max }, not { $value }
problem-bad-iterations = Benktander takes 1 to { $max } iterations, not { $value }
problem-study-dates = the study ends ({ $to }) before it starts ({ $from })
problem-bands-rise = { $factor } bands must start at 0 and rise
problem-unknown-base = { $factor }: the base level '{ $level }' is not one of { $levels }
problem-no-exposure = no member was covered between { $from } and { $to }
problem-study-after-data = the study starts on { $from }, after the data end on { $end }: give a start and an end on or before { $end }
problem-too-many-bands = { $factor } bands: at most { $max }
problem-too-many-cells = the study would have { $cells } cells ({ $periods } periods by every age, sex, area and duration); at most { $max }: study a shorter period, split by year, or use fewer bands
problem-past-budget = the study took longer than the server's budget of { $seconds } s, its wait for a turn included: study a shorter period or one scheme at a time

## A study's report: its labels (report-, by their English: see Texts::label) and its notes
report-reserves-chain-ladder = Reserves: chain ladder
report-reserves-chain-ladder-with-mack-s-standard-errors = Reserves: chain ladder with Mack's standard errors
report-reserves-bornhuetter-ferguson = Reserves: Bornhuetter-Ferguson
report-reserves-benktander = Reserves: Benktander
report-reserves-cape-cod = Reserves: Cape Cod
report-results-by-origin = Results by origin
report-development-factors = Development factors
report-cumulative-triangle = Cumulative triangle
report-incremental-triangle = Incremental triangle
report-link-ratios-coloured-within-each-development = Link ratios (coloured within each development)
report-ultimate-by-origin-known-to-date-and-still-to-come = Ultimate by origin: known to date and still to come
report-paid-to-date = paid to date
report-reported-to-date = reported to date
report-reserve = reserve
report-ultimate = ultimate
report-ibnr = IBNR
report-rbnp = RBNP
report-still-owed-ibnr-rbnp = still owed (IBNR + RBNP)
report-standard-error = standard error
report-cv = cv
report-method = method
report-valuation-date = valuation date
report-origin-period = origin period
report-development = development
report-measure = measure
report-average = average
report-excluded-links = excluded links
report-tail-factor = tail factor
report-last-sigma = last sigma
report-loss-ratio = loss ratio
report-iterations = iterations
report-exposure = exposure
report-latest = latest
report-to-ultimate = to ultimate
report-origin = origin
report-factor-to-next = factor to next
report-tail = tail
report-paid = paid
report-reported = reported
report-year = year
report-quarter = quarter
report-month = month
report-amount = amount
report-count = count
report-volume = volume
report-simple = simple
report-log-linear = log-linear
report-warning = Warning
report-unknown = unknown
report-identity = identity
report-inverse = inverse
report-annual-limit-reached = annual limit reached
report-experience-study = Experience study
report-claims = claims
report-per-1-000 = per 1,000
report-avg-claimed = avg claimed
report-avg-approved = avg approved
report-avg-paid = avg paid
report-avg-cost = avg cost
report-alos = alos
report-bed-days-per-1-000 = bed days per 1,000
report-risk-cost = risk cost
report-cost = cost
report-glm-frequency = GLM, frequency
report-glm-severity = GLM, severity
report-member-years = member-years
report-claims-per-1-000-members-a-year = claims per 1,000 members a year
report-average-cost = average cost
report-risk-cost-per-member-year = risk cost per member-year
report-risk-cost-per-family-year = risk cost per family-year
report-from = from
report-to = to
report-split-by = split by
report-age-bands = age bands
report-duration-bands = duration bands
report-glm-factors = GLM factors
report-members = members
report-claims-given = claims given
report-member-years-active = member-years (active)
report-member-years-pending = member-years (pending)
report-family-years = family-years
report-average-family-size = average family size
report-average-family-size-with-pending-members = average family size with pending members
report-incidence-per-1-000-members = incidence per 1,000 members
report-incidence-per-1-000-families = incidence per 1,000 families
report-average-claimed = average claimed
report-average-approved = average approved
report-average-paid = average paid
report-average-length-of-stay = average length of stay
report-claims-of-unknown-members = claims of unknown members
report-claims-outside-cover = claims outside cover
report-claims-of-pending-members = claims of pending members
report-rejected-claims = rejected claims
report-summary = Summary
report-value = value
report-by-period = By period
report-period = period
report-pending-exposure = pending exposure
report-family-exposure = family exposure
report-family-size = family size
report-base-table-by-clinical-category-and-specialty-rates-per-member-year-of-the-whole-population = Base table by clinical category and specialty (rates per member-year of the whole population)
report-clinical-category = clinical category
report-specialty = specialty
report-risk-cost-per-family = risk cost per family
report-share-of-cost = share of cost
report-completed-per-1-000 = completed per 1,000
report-completed-avg-cost = completed avg cost
report-completed-risk-cost = completed risk cost
report-completion-of-recent-months-chain-ladder-on-the-reporting-delays = Completion of recent months (chain ladder on the reporting delays)
report-month-incurred = month incurred
report-months-developed = months developed
report-claims-factor = claims factor
report-cost-factor = cost factor
report-one-way-relativities-by-age = One-way relativities by age
report-one-way-relativities-by-sex = One-way relativities by sex
report-one-way-relativities-by-area = One-way relativities by area
report-one-way-relativities-by-duration = One-way relativities by duration
report-incidence-relativity = incidence relativity
report-cost-relativity = cost relativity
report-alos-relativity = alos relativity
report-risk-cost-relativity = risk cost relativity
report-base-level = base level
report-coefficient = coefficient
report-estimate = estimate
report-std-error = std error
report-z-or-t = z or t
report-relativity = relativity
report-lower-95 = lower 95%
report-upper-95 = upper 95%
report-family = family
report-link = link
report-deviance = deviance
report-degrees-of-freedom = degrees of freedom
report-null-deviance = null deviance
report-null-degrees-of-freedom = null degrees of freedom
report-dispersion = dispersion
report-aic = AIC
report-observations = observations
report-residual-degrees-of-freedom = residual degrees of freedom
report-coefficients = Coefficients
report-by-location = By location
report-location = location
report-claimed-and-paid-by-year-of-incurral-every-claim-received = Claimed and paid by year of incurral (every claim received)
report-claimed = claimed
report-refused = refused
report-approved = approved
report-approved-not-paid = approved, not paid
report-paid-share-of-claimed = paid share of claimed
report-claims-at-or-above-the-annual-limits = Claims at or above the annual limits
report-reason = reason
report-ownership = ownership
report-public = public
report-private = private
report-public-and-private-facilities = Public and private facilities
report-share-of-claims = share of claims
report-cells-the-glms-data-carepool-glm-data-reads-this-table = Cells (the GLMs' data; carepool glm --data reads this table)
report-age = age
report-sex = sex
report-area = area
report-duration = duration
report-bed-days = bed days
report-member-years-by-period-active-and-pending = Member-years by period: active and pending
report-active = active
report-pending = pending
report-incidence-relativity-by-age = Incidence relativity by age
report-incidence-relativity-by-sex = Incidence relativity by sex
report-total = total
report-risk-cost-per-member-year-by-line-of-the-base-table = Risk cost per member-year by line of the base table
report-projection-premium-adequacy-and-stress-tests = Projection: premium adequacy and stress tests
report-level-premium-per-member = level premium per member
report-lowest-under-the-stress-tests = lowest under the stress tests
report-highest-under-the-stress-tests = highest under the stress tests
report-level-premium-per-family = level premium per family
report-lowest-per-family-under-the-stress-tests = lowest per family under the stress tests
report-highest-per-family-under-the-stress-tests = highest per family under the stress tests
report-years-from-the-base-date-to-the-start = years from the base date to the start
report-base-table-carried-to-the-start-of-the-projection = Base table carried to the start of the projection
report-where-each-input-came-from = Where each input came from
report-input = input
report-source = source
report-base-table = base table
report-credibility = credibility
report-reform = reform
report-base-date = base date
report-relativities = relativities
report-population-mix = population mix
report-line-assumptions = line assumptions
report-trends-members-benefit-changes-new-benefits-loadings-and-stress-tests = trends, members, benefit changes, new benefits, loadings and stress tests
report-credibility-the-scheme-s-own-experience-blended-with-the-reference = Credibility: the scheme's own experience blended with the reference
report-incidence-weight = incidence weight
report-own-per-1-000 = own per 1,000
report-reference-per-1-000 = reference per 1,000
report-blended-per-1-000 = blended per 1,000
report-cost-weight = cost weight
report-own-average-cost = own average cost
report-reference-average-cost = reference average cost
report-blended-average-cost = blended average cost
report-reserve-refunded-at-the-end = reserve refunded at the end
report-reserve-retained = reserve retained
report-contract-years = contract years
report-premium-by-year = Premium by year
report-families = families
report-risk-cost-per-member = risk cost per member
report-expense-share = expense share
report-premium-per-member = premium per member
report-premium-per-family = premium per family
report-projected-base-table-every-year = Projected base table, every year
report-line = line
report-incidence-per-1-000 = incidence per 1,000
report-reserve-over-the-contract-at-the-level-premium = Reserve over the contract at the level premium
report-opening = opening
report-premium-income = premium income
report-expenses = expenses
report-investment-income = investment income
report-closing = closing
report-stress-tests-level-premium-against-the-base = Stress tests: level premium against the base
report-scenario = scenario
report-change = change
report-change-share = change share
report-change-per-family = change per family
report-change-share-per-family = change share per family
report-premium-per-member-by-year = Premium per member by year
report-loadings = loadings
report-stress-tests-change-of-the-level-premium-per-family-against-the-base = Stress tests: change of the level premium per family against the base

note-reserve-reported-with-claims = Development by reported date: the reserve is the IBNR; the claims reported but not paid (RBNP) come from the claims themselves, and the total still to pay is IBNR + RBNP.
note-reserve-reported = Development by reported date: the reserve is the IBNR.
note-reserve-paid-with-claims = Development by paid date: the reserve is everything still to pay; RBNP comes from the claims themselves, and IBNR is the reserve less RBNP.
note-reserve-paid = Development by paid date: the reserve is everything still to pay, IBNR and RBNP together; a triangle alone cannot tell them apart.
note-mack-sigma-mack = Standard errors: Mack (1993), with the last development's sigma filled by Mack's rule, min(σ⁴ₙ₋₁/σ²ₙ₋₂, σ²ₙ₋₂, σ²ₙ₋₁).
note-mack-sigma-log-linear = Standard errors: Mack (1993), with the last development's sigma filled by log-linear extrapolation of the estimated sigmas.
note-standard-errors-mack-only = Standard errors: given by the mack method only.
note-empty-origin = Origin { $origin } has nothing reported: if the data end before the valuation date, value the reserve at the data's end (--valuation); its reserve of 0 is not an estimate.
note-empty-origins = The last { $count } origins, { $first } to { $last }, have nothing reported: if the data end before the valuation date, value the reserve at the data's end (--valuation); their reserve of 0 is not an estimate.
note-falling = The cumulative values fall in { $falls } of the triangle's { $steps } development steps: a cumulative triangle only rises unless claims are recovered. If the values are each period's own, read the triangle as incremental.
note-falling-negative = The cumulative values fall in { $falls } of the triangle's { $steps } development steps, and the reserve of origin(s) { $origins } is negative: a cumulative triangle only rises unless claims are recovered. If the values are each period's own, read the triangle as incremental.
note-paid-without-date = { $file }: { $count } claim(s) have the status paid but no paid_date: they count as not yet paid, in the RBNP and in no paid development.
note-exposure-days = Exposure counts exact days of active cover; a day is 1/365 of a year (1/366 in a leap year). Pending members are counted apart and left out of the rates.
note-claims-incurred = Claims are counted by incurred date (admission, or the visit), for the members and days in the exposure; rejected claims and claims of pending, uncovered or unknown members are left out of the rates.
note-cost-owed = Cost is what the scheme owes: the approved amount once decided, the claimed amount before; risk cost is cost per member-year.
note-factor-not-given = The data gives no { $factor }: it is not used as a factor.
note-silent-period = The last period, { $last }, has members covered and no claim: if the claims have not reached the data yet, end the study (--to) where they do; these member-years lower every rate.
note-completion = Recent months are completed: each month's claims and cost times its completion factor, from the chain ladder on the claims' reporting delays valued on { $valued } (the last month, { $month }: claims x { $claims }, cost x { $cost }); the base table's completed figures carry them.
note-completion-no-dates = The claims do not say when they were received: recent months are not completed, and claims not yet in lower their rates.
note-completion-no-full-month = The data end before the study's first month is over: no month has developed, and recent months are not completed.
note-completion-young-as-reported = No claim was reported before it was { $months } month(s) old: months younger than that have nothing to grow from and are left as reported.
note-silent-periods = The last { $count } periods, { $first } to { $last }, have members covered and no claim: if the claims have not reached the data yet, end the study (--to) where they do; these member-years lower every rate.
note-study-ends-today = The study was asked to end on { $asked }; exposure and claims stop on { $end }, today: the days after it have not happened.
note-study-ends-with-the-claims = The study was asked to end on { $asked }; exposure and claims stop on { $end }, the latest day a claim was received: the data say nothing of the days after it.
note-glm-factor-left-out = { $factor } is left out of the GLMs: the data gives it fewer than two levels.
note-glm-unknown-left-out = { $years } member-years with a factor not known are left out of the GLMs.
note-glm-aliased = The { $model } GLM could not be fitted: { $term } is aliased: it is a combination of the terms before it (or has no weight), so its effect cannot be told apart.
note-glm-too-few = The { $model } GLM could not be fitted: { $parameters } parameters cannot be estimated from { $observations } observations.
note-glm-not-converged = The { $model } GLM could not be fitted: the fit did not converge in { $iterations } iterations.
note-glm-no-data = The { $model } GLM could not be fitted: there are no observations.
note-glm-no-residual = The { $model } GLM could not be fitted: it has as many observations as parameters ({ $parameters }), and none is left to estimate its dispersion from, nor its standard errors.
note-glm-fitted-exactly = The { $model } GLM could not be fitted: every group's average equals its fitted value (as when every claim costs the same, a flat fee), so its dispersion is zero and its standard errors would say nothing.
note-glm-not-fitted = The { $model } GLM could not be fitted: { $error }.
note-glm-base-level = { $factor }: base level { $base } (relativity 1)
note-projection-lines = Each base-table line is projected year by year, incidence and average cost apart, each year centred on its middle; the premium is risk cost / (1 - expense share) + contingency x risk cost.
note-projection-carried = The base table is carried from its date to the start of the projection by the rates of the years between, each rate acting on the time its year overlaps (as the assumptions' timing convention says); a line's own rates replace the scheme's, and a fixed amount does not inflate.
note-projection-level = The level premium is the one whose present value over the contract, at the investment return, equals the present value of the annual premiums, each year's cash flowing in its middle with the members (families) expected that year; without a return it is their average weighted by members (families). The reserve it builds earns the same return.
note-projection-range = A premium is never the answer alone: the stress tests give its range.
note-input-base-study-completed = experience study { $study } ({ $from } to { $to }): { $lines } lines, recent months completed (its completion factors, valued on { $valued })
note-input-base-study-reported = experience study { $study } ({ $from } to { $to }): { $lines } lines, as reported (the study gave no completion)
note-input-base-table-file = { $file }: { $lines } lines
note-input-base-inline = the assumptions file: { $lines } lines
note-input-credibility-file = the base table blended with the reference { $reference } by limited-fluctuation credibility ({ $probability }% within { $tolerance }%: full weight at { $incidence } claims for an incidence, { $cost } for an average cost)
note-input-credibility-inline = the base table blended with the reference given inline by limited-fluctuation credibility ({ $probability }% within { $tolerance }%: full weight at { $incidence } claims for an incidence, { $cost } for an average cost)
note-input-reform = reform { $file }: { $proposal } judged against scheme { $scheme }'s claims of { $from } to { $to }; its incidence and average cost factors change { $lines } lines
note-input-date-study = the middle of the study's period: { $date }
note-input-date-file = the assumptions file: { $date }
note-input-none = not given
note-input-relativities-glm = the study's frequency and severity GLMs
note-input-relativities-one-way = the study's one-way tables
note-input-relativities-none = none given: every cell 1
note-input-mix-study-ahead = the study's member-years by age, sex and area ({ $cells } cells); the shares ahead (or members) from the assumptions file
note-input-mix-study = the study's member-years by age, sex and area ({ $cells } cells), unchanged over the projection
note-input-mix-none = none given: no change of mix
note-input-family-study = the study's average family size: { $size }
note-input-file = the assumptions file
note-costing-cost = Cost = people covered x cost per covered person of each benefit (its first-year average, moved by the population's mix and by medical prices: general inflation and the medical excess).
note-costing-gap = The financing gap is the cost less the revenue stated.
note-early-warning = { $measure ->
    [incidence_per_1000] Incidence per 1,000
    [average_cost] Average cost
   *[family_size] Family size
} of { $line }: { $side } its band for { $months } months from { $from }; last month { $observed } against { $expected } expected (band { $low } to { $high }).
note-early-warning-not-watched = { $why ->
    [no_premium_basis] No early warning: the scheme has no premium basis (carepool premium-basis register).
    [one_facility] No early warning: one facility's claims say nothing of the premium.
   *[other] No early warning: name the scheme to watch (--scheme).
}
note-reform-judged = The claims of the scheme's families are judged twice, family by family in the order received: under the scheme's versions as stored, and under the proposal as if it had always been in force; the claims before the period, and those received meanwhile for care after it, are judged for the limits and frequency rules they leave, and only the period's are counted. Nothing is written.
note-reform-contributions-kept = The proposal's contributions differ from the scheme's: claims are judged with the contributions the stored versions asked for (a family's cover rests on what it was asked to pay); the projection prices the premium.
note-reform-changed-listed = The first { $listed } claims decided otherwise are listed, of { $count }.
note-reform-differs-from-recorded = { $count } of the period's claims are decided otherwise by the rules as stored than as recorded (a reviewer's or an appeal's decision, or rules stored since): the comparison is between the rules and the proposal, both judged here.

## Grievances
nav-grievances = Grievances
nav-new-grievance = File a grievance
grievances-title = Grievances
grievances-none = No grievance matches these filters.
grievances-more = The first { $shown } of { $found } grievances: narrow the filters to see the others.
grievances-overdue-only = Only those overdue
grievance-new-title = File a grievance
grievance-title = Grievance { $id }
column-category = Category
column-owner = Owner
column-filed-on = Filed on
column-due = Due by
column-channel = Channel
column-priority = Priority
grievance-filed-by = Who complains
grievance-filed-by-member = a member
grievance-filed-by-facility = a facility
grievance-filed-by-staff = a member of staff
grievance-filer = Filed by (member id, facility code or user name)
grievance-claim = Claim (facility/number)
grievance-description = What happened
grievance-attachments = Documents kept (references, separated by ;)
grievance-file = File the grievance
grievance-overdue = overdue
grievance-place = Handled in
grievance-resolution = Resolution
grievance-kind-upheld = Upheld
grievance-kind-partly_upheld = Partly upheld
grievance-kind-not_upheld = Not upheld
grievance-refund = Refund
grievance-refund-line = { $amount } to member { $member }, deducted from { $facility }: { $status }
refund-status-due = waiting for the next payment run
refund-status-refunded = paid to the member; to be deducted from the facility's next payment
refund-status-recovered = paid to the member and deducted from the facility
refund-status-withdrawn = withdrawn
grievance-steps = Steps
grievance-step = Step
grievance-day = Day
grievance-by = By
grievance-note = Note
grievance-step-file = Filed
grievance-step-assign = Assigned
grievance-step-start = Started
grievance-step-resolve = Resolved
grievance-step-close = Closed
grievance-step-reopen = Reopened
grievance-next = Next step
grievance-do-assign = Assign
grievance-do-start = Start working on it
grievance-do-resolve = Resolve
grievance-do-close = Close
grievance-do-reopen = Reopen
grievance-owner = Owner (a user who handles grievances in this place)
grievance-kind = Finding
grievance-kind-needed = Choose the finding.
grievance-text = What was found and done (the member is told)
grievance-refund-amount = Refund to the member (empty: all the facility collected on the claim; 0: the facility gave it back itself)
grievance-refund-not-amount = The refund is an amount, such as 1500 or 1,500.50.
grievance-why = Why it is opened again
grievance-status-received = Received
grievance-status-open = Open
grievance-status-in_progress = In progress
grievance-status-resolved = Resolved
grievance-status-closed = Closed
grievance-channel-visit = visit
grievance-channel-phone = phone
grievance-channel-sms = SMS
grievance-channel-letter = letter
grievance-channel-web = web
grievance-channel-community_representative = community representative
grievance-priority-low = Low
grievance-priority-normal = Normal
grievance-priority-high = High
grievance-priority-urgent = Urgent
grievance-category-exempt_charged = Co-payment charged to an exempt member
grievance-category-claim_refused = Claim refused
grievance-category-claim_appeal = Appeal against a claim's decision
grievance-category-card_or_enrolment = Card or enrolment problem
grievance-category-poor_treatment = Poor treatment
grievance-category-waiting_time = Waiting time
grievance-category-other = Other
grievance-refund-none = No refund through the scheme: withdrawn, or declined by a finding.
grievance-location = Place that handles it (empty: where the family lives, else the facility's)
grievance-scheme = Scheme (empty: the family's, or the only one)
grievance-cover-from = Cover from (an appeal upheld enrols the member after the eligibility check)
grievance-package = Package (empty: the scheme's first)
grievance-category-enrolment_appeal = Appeal against an eligibility refusal
