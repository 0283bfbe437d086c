"""One story per role on a fresh server, in a real browser: what each person does on a working
day, every page checked with axe's rules and saved as a screenshot in target/screenshots/."""

import csv
import re
import tomllib
from pathlib import Path

from playwright.sync_api import expect

from conftest import ROOT

LOCALES = ROOT / "crates" / "carepool-server" / "locales"
EXAMPLES = ROOT / "examples"
# What the reviewer writes is theirs: English on every page, whoever reads it.
REVIEWERS_NOTE = "ten days is long for a minor operation: eight paid"


def scheme_words():
    """The names and descriptions the example scheme's and projection's files give (in
    English): their words, shown as written whatever the reader's language."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in ("name", "description") and isinstance(inner, str):
                    found.append(inner)
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    folder = ROOT / "examples" / "mutual"
    walk(tomllib.loads((folder / "scheme.toml").read_text()))
    # The projection's assumptions name their lines and stress scenarios.
    walk(tomllib.loads((ROOT / "examples" / "projection" / "inpatient.toml").read_text()))
    with open(folder / "tariff.csv", newline="") as tariff:
        found.extend(row["description"] for row in csv.DictReader(tariff))
    return sorted(found, key=len, reverse=True)


# Words that are data, not the pages' own: left out of the check for English.
# The experience study's factors by the codes its form and settings take, in every language.
FACTOR_CODES = ["age, sex, area, duration", "sex=F; area=rural"]
DATA_WORDS = [REVIEWERS_NOTE, *FACTOR_CODES, *scheme_words()]


def test_enrolment_officer_finds_enrols_and_is_refused_an_ineligible_member(visit):
    awa = visit("awa")
    awa.sign_in("awa")
    page = awa.page
    expect(page.get_by_role("heading", name="Today's work")).to_be_visible()
    awa.check("home")

    page.get_by_role("link", name="Members").click()
    page.get_by_label("Name, member id, national id or family id").fill("salif ouedraogo")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("cell", name="Salif Ouédraogo")).to_be_visible()
    awa.check("found-without-accents")
    page.get_by_role("link", name="F0002").first.click()
    expect(page.get_by_role("heading", name="Family F0002")).to_be_visible()
    awa.check("family")

    page.get_by_role("link", name="New family").click()
    page.get_by_label("Family id").fill("F0100")
    page.get_by_label("Location code (village)").fill("KB-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Family F0100")).to_be_visible()
    for member, name, relationship, born in [
        ("M0100", "Adama Zongo", "head", "1985-01-01"),
        ("M0101", "Boukary Zongo", "child", "1990-01-01"),
    ]:
        page.get_by_role("link", name="Add a member").click()
        page.get_by_label("Member id").fill(member)
        page.get_by_label("Full name").fill(name)
        page.get_by_label("Relationship to the head").select_option(relationship)
        page.get_by_label("Sex").select_option("M")
        page.get_by_label("Date of birth").fill(born)
        page.get_by_label("Status", exact=True).select_option("active")
        page.get_by_label("Status since (the day of death for a death)").fill("2025-06-01")
        awa.check(f"member-{member}")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("cell", name=name)).to_be_visible()

    page.get_by_role("link", name="Enrol a member (cover)").click()
    page.get_by_label("Member id").fill("M0100")
    page.get_by_label("Cover from").fill("2025-06-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Cover")).to_be_visible()
    awa.check("enrolled")

    page.get_by_role("link", name="Enrol a member (cover)").click()
    page.get_by_label("Member id").fill("M0101")
    page.get_by_label("Cover from").fill("2025-06-01")
    page.get_by_role("button", name="Save").click()
    refusal = page.get_by_role("alert").first
    assert "Not eligible" in refusal.inner_text()
    assert "family.child_max_age" in refusal.inner_text(), "the rule is named"
    awa.check("refused-with-the-rule")

    awa.open("/members/M0100/card")
    expect(page.get_by_text("Adama Zongo")).to_be_visible()
    page.emulate_media(media="print")
    awa.check("card-printed")


def test_facility_submits_a_claim_and_the_reviewer_adjusts_it(visit):
    chr_ = visit("facility")
    chr_.sign_in("chr")
    page = chr_.page
    page.get_by_role("link", name="New claim").click()
    page.get_by_label("Member", exact=True).fill("M0001")
    page.get_by_label("Day of care").fill("2025-11-03")
    page.get_by_role("button", name="Check cover").click()
    expect(page.get_by_text("M0001 is covered on 3 November 2025")).to_be_visible()
    chr_.check("cover")
    page.get_by_label("Claim number").fill("H-0100")
    page.get_by_label("Admitted on").fill("2025-11-03")
    page.get_by_label("Discharged on").fill("2025-11-13")
    page.get_by_label("Clinical category").fill("surgical")
    page.get_by_label("Diagnosis codes (ICD-10, principal first)").fill("K35.8")
    for line, (service, quantity, price) in enumerate(
        [("SURG-MIN", "1", "15000"), ("HOSP-DAY", "10", "3000")], start=1
    ):
        page.get_by_label(f"Service {line}").fill(service)
        page.get_by_label(f"Quantity {line}").fill(quantity)
        page.get_by_label(f"Unit price {line}").fill(price)
    chr_.check("claim-form")
    page.get_by_role("button", name="Send the claim").click()
    expect(page.get_by_role("heading", name="Claim CHR-HD/H-0100")).to_be_visible()
    assert "in review" in page.locator("dl.facts").inner_text()
    assert "45,000.00 XOF" in page.inner_text("main")
    chr_.check("decision")

    doc = visit("reviewer")
    doc.sign_in("doc")
    page = doc.page
    page.get_by_role("link", name="Review").click()
    doc.check("queue")
    page.get_by_role("link", name="CHR-HD/H-0100").click()
    page.get_by_label("Adjust the approved amount").check()
    page.get_by_label("Approved amount (to adjust)").fill("30000")
    page.get_by_label("Note (why)").fill(REVIEWERS_NOTE)
    doc.check("decision-form")
    page.get_by_role("button", name="Record the decision").click()
    assert "ten days is long" in page.inner_text("main"), page.inner_text("main")
    assert "30,000.00 XOF" in page.inner_text("main")
    doc.check("adjusted")


def test_two_finance_officers_propose_and_release_a_run_and_print_the_remittance(visit):
    fatou = visit("proposer")
    fatou.sign_in("fatou")
    page = fatou.page
    page.get_by_role("link", name="Payments").click()
    page.get_by_label("Month (YYYY-MM)").fill("2025-12")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("button", name="Propose the run of 2025-12").click()
    expect(page.get_by_text("You proposed this run")).to_be_visible()
    fatou.check("proposed")

    moussa = visit("releaser")
    moussa.sign_in("moussa")
    page = moussa.page
    moussa.open("/payments?period=2025-12")
    page.get_by_role("button", name="Release and pay").click()
    expect(page.get_by_role("heading", name=re.compile("released and paid"))).to_be_visible()
    moussa.check("released")
    page.get_by_role("link", name="CHR-HD").click()
    expect(page.get_by_role("heading", name=re.compile("Remittance advice to CHR-HD"))).to_be_visible()
    page.emulate_media(media="print")
    moussa.check("remittance-printed")
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    saved = Path(download.value.path())
    assert saved.read_bytes()[:2] == b"PK", "a workbook"


def test_actuary_runs_a_reserve_report_and_downloads_its_workbook(visit):
    ama = visit("actuary")
    ama.sign_in("ama")
    page = ama.page
    page.get_by_role("link", name="Reserves").click()
    page.get_by_label("Method").select_option("chain-ladder")
    page.get_by_label("Valuation date (default today)").fill("2025-12-31")
    page.get_by_role("button", name="Run the study").click()
    expect(page.get_by_text("IBNR", exact=True).first).to_be_visible()
    ama.check("reserve-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "reserve.xlsx"
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"


def english_words():
    """The English of the pages that French says otherwise: each plain message's text, or for a
    message quoting figures or choosing among variants, each of its stretches of words between
    them (every line of it)."""

    def messages(path):
        found = {}
        id = None
        for line in path.read_text().splitlines():
            match = re.match(r"^([a-z][\w-]*) = (.*)$", line)
            if match:
                id = match.group(1)
                found[id] = [match.group(2).strip()]
            elif id and line.startswith(" "):
                # A variant's words, without its key.
                found[id].append(re.sub(r"^\s*\*?\[[\w-]+\]\s*", "", line))
            else:
                id = None
        return found

    def stretches(line):
        parts = re.split(r"\{[^}]*\}?", line)
        return [part.strip(" :;,.()") for part in parts]

    english, french = messages(LOCALES / "en.ftl"), messages(LOCALES / "fr.ftl")
    # A word French uses too ("active", "total") is no sign of English on its own.
    french_words = {
        word.lower() for lines in french.values() for line in lines for word in re.findall(r"[\w-]+", line)
    }
    found = set()
    for id, lines in english.items():
        said = " ".join(french.get(id, []))
        if len(lines) == 1 and "{" not in lines[0]:
            if said != lines[0] and len(lines[0]) > 3 and lines[0].lower() not in french_words:
                found.add(lines[0])
            continue
        for line in lines:
            found.update(
                part for part in stretches(line) if len(part) >= 12 and part not in said
            )
    return sorted(found)


def speaks_french(visitor, path, english):
    """Opens `path` and checks that its page is French through and through."""
    return is_french(visitor.open(path), english)


def is_french(page, english):
    """Checks that the page open is French through and through."""
    path = page.url
    text = page.inner_text("body")
    for words in DATA_WORDS:
        text = text.replace(words, "")
    # Codes: a model's coefficients and terms, FACTOR=LEVEL (area=urban); who did a thing in the
    # history, SOURCE:NAME (cli:unknown).
    text = re.sub(r"[\w-]+=[\w+-]+", "", text)
    text = re.sub(r"[\w-]+:[\w-]+", "", text)
    # Whole words only: a reason's code (member_pending) is a code, not English.
    left = [words for words in english if re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text)]
    assert not left, f"{path} ({page.url}) still speaks English: {left}: {text}"
    assert page.locator("html").get_attribute("lang") == "fr"
    # A reason stored before reasons had words keeps its English, marked as such.
    english_kept = page.locator("main [lang=en]").all_inner_texts()
    assert not english_kept, f"{path}: English kept: {english_kept}"
    return page


def links(page, pattern):
    """The paths of the page's links whose path matches `pattern`, once each, in order."""
    found = []
    for href in page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))"):
        if re.fullmatch(pattern, href) and href not in found:
            found.append(href)
    return found


def test_the_pages_speak_french_to_a_french_speaking_officer_on_a_phone(visit):
    aminata = visit("french-phone", phone=True)
    page = aminata.open("/login?lang=fr")
    # By keyboard alone: the fields in order, Enter to send.
    page.get_by_label("Nom d'utilisateur").focus()
    page.keyboard.type("aminata")
    page.keyboard.press("Tab")
    page.keyboard.type("a long enough password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/"), page.url
    english = english_words()
    for path in ["/", "/members?q=ouedraogo", "/families/F0002", "/families/new", "/password"]:
        speaks_french(aminata, path, english)
        aminata.check(path.strip("/").split("?")[0].replace("/", "-") or "accueil")


def test_the_pages_of_every_story_speak_french(visit):
    """The facility's, the reviewer's, the finance officers' and the actuary's pages, as the
    stories above left them (a claim adjusted on review, a run released), in French: every
    claim's reasons included."""
    english = english_words()
    for reasons_words in ["above the tariff for service", "pregnant woman", "covers stays only, not"]:
        assert reasons_words in english, f"reasons are checked too: {reasons_words}"

    mariam = visit("facility")
    mariam.sign_in("mariam", language="fr")
    for path in ["/", "/claims/new?member_id=M0001&care_date=2025-11-03", "/claims"]:
        speaks_french(mariam, path, english)
        mariam.check(path.strip("/").split("?")[0].replace("/", "-") or "accueil")

    ibrahim = visit("reviewer")
    ibrahim.sign_in("ibrahim", language="fr")
    page = speaks_french(ibrahim, "/review", english)
    ibrahim.check("contrôle")
    page = speaks_french(ibrahim, "/claims", english)
    claims = links(page, r"/claims/[^/?]+/[^/?]+")
    assert len(claims) >= 10, claims
    for path in claims:
        speaks_french(ibrahim, path, english)
    ibrahim.check("demande")

    kadi = visit("finance")
    kadi.sign_in("kadi", language="fr")
    page = speaks_french(kadi, "/payments?period=2025-12", english)
    kadi.check("paiements")
    remittances = links(page, r"/payment-runs/[^?]+/remittance/[^/?.]+")
    assert remittances, "the finance officers' story released a run"
    for path in remittances:
        speaks_french(kadi, path, english)
    kadi.check("avis")

    ousmane = visit("actuary")
    ousmane.sign_in("ousmane", language="fr")
    for path in ["/analysis/reserve", "/analysis/experience", "/analysis/projection"]:
        speaks_french(ousmane, path, english)
        ousmane.check(path.rsplit("/", 1)[1])
    # The reports themselves: labels, notes and settings, the figures written the French way.
    for path, name in [
        ("/analysis/reserve?run=1&method=chain-ladder&valuation=2025-12-31", "rapport-provisions"),
        ("/analysis/experience?run=1&from=2025-01-01&to=2025-12-31", "rapport-experience"),
    ]:
        page = speaks_french(ousmane, path, english)
        expect(page.locator("section.report")).to_be_visible()
        ousmane.check(name)
    page = ousmane.open("/analysis/projection")
    page.locator("textarea[name=assumptions]").fill((EXAMPLES / "projection" / "inpatient.toml").read_text())
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("section.report")).to_be_visible()
    is_french(page, english)
    ousmane.check("rapport-projection")


def test_a_grievance_officer_files_and_settles_an_exempt_members_complaint(visit):
    """A member exempt from co-payments was charged at the hospital: the grievance officer files
    the complaint against the claim, takes it on, and upholds it with a refund the next payment
    run pays; the pages say it all in French to a French-speaking officer too."""
    gina = visit("grievances")
    gina.sign_in("gina")
    page = gina.page
    page.get_by_role("link", name="File a grievance").click()
    page.get_by_label("Category").select_option("exempt_charged")
    page.get_by_label("Filed by (member id, facility code or user name)").fill("M0002")
    page.get_by_label("Channel").select_option("phone")
    page.get_by_label("Claim (facility/number)").fill("CHR-HD/H-0001")
    page.get_by_label("What happened").fill("Asked to pay 500 at the hospital, though exempt")
    gina.check("filing")
    page.get_by_role("button", name="File the grievance").click()
    expect(page.get_by_role("heading", name=re.compile("Grievance G-"))).to_be_visible()
    expect(page.locator("dd strong", has_text="Received")).to_be_visible()
    gina.check("filed")
    path = page.url.removeprefix(gina.base)

    page.get_by_label("Owner (a user who handles grievances in this place)").fill("gina")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_role("button", name="Start working on it").click()
    expect(page.locator("dd strong", has_text="In progress")).to_be_visible()
    page.get_by_label("Finding").select_option("upheld")
    page.get_by_label("What was found and done (the member is told)").fill(
        "The hospital charged an exempt member: the scheme refunds her"
    )
    page.get_by_label(re.compile("Refund to the member")).fill("500")
    gina.check("resolving")
    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(page.get_by_text("waiting for the next payment run")).to_be_visible()
    gina.check("resolved-with-refund")
    page.get_by_role("link", name="Grievances", exact=True).click()
    expect(page.get_by_role("link", name=path.rsplit("/", 1)[1])).to_be_visible()
    gina.check("list")

    english = english_words()
    aissata = visit("grievances-fr")
    aissata.sign_in("aissata", language="fr")
    for path_fr, name in [("/grievances", "reclamations"), ("/grievances/new", "nouvelle"), (path, "reclamation")]:
        speaks_french(aissata, path_fr, english)
        aissata.check(name)

