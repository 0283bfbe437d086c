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
