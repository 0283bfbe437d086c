"""A fresh carepool server for the browser stories: the example mutual's registry and claims
loaded as the README's tour loads them, one user per role, served on a free port; and a browser
(Debian's Chromium, driven by Playwright) whose pages are checked for accessibility and saved as
screenshots in target/screenshots/."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CAREPOOL = Path(os.environ.get("CAREPOOL_BIN", ROOT / "target" / "debug" / "carepool"))
CHROMIUM = os.environ.get("CAREPOOL_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "target" / "screenshots"
AXE = ROOT / "tests" / "browser" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
PASSWORD = "a long enough password"

# Who signs in, as what, and in which language.
USERS = [
    ("awa", "enrolment_officer", []),
    ("aminata", "enrolment_officer", ["--language", "fr"]),
    ("chr", "facility", ["--provider", "CHR-HD"]),
    ("doc", "medical_reviewer", []),
    ("fatou", "finance_officer", []),
    ("moussa", "finance_officer", []),
    ("ama", "actuary", []),
    ("gina", "grievance_officer", []),
    # The same roles in French, for the pages of every story in French.
    ("mariam", "facility", ["--provider", "CHR-HD", "--language", "fr"]),
    ("ibrahim", "medical_reviewer", ["--language", "fr"]),
    ("kadi", "finance_officer", ["--language", "fr"]),
    ("ousmane", "actuary", ["--language", "fr"]),
    ("aissata", "grievance_officer", ["--language", "fr"]),
]

TOUR = [
    ["init", "--scheme", "examples/mutual/scheme.toml"],
    ["import", "locations", "examples/mutual/locations.csv"],
    ["import", "providers", "examples/mutual/providers.csv"],
    ["import", "families", "examples/mutual/families.csv"],
    ["import", "members", "examples/mutual/members.csv"],
    ["import", "coverage", "examples/mutual/coverage.csv"],
    ["import", "contributions", "examples/mutual/contributions.csv"],
    ["claims", "import", "examples/mutual/claims.csv", "--lines", "examples/mutual/claim_lines.csv"],
    ["claims", "adjudicate", "--date", "2025-12-31"],
]


def run(db, args, stdin=None):
    done = subprocess.run(
        [str(CAREPOOL), "--db", db, *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"carepool {' '.join(args)}: {done.stderr}"
    return done.stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    assert CAREPOOL.exists(), f"{CAREPOOL} is missing: build it first (cargo build, or cargo test)"
    folder = Path(tempfile.mkdtemp(prefix="carepool-browser-"))
    db = f"sqlite://{folder / 'carepool.db'}"
    for args in TOUR:
        run(db, args)
    for name, role, extra in USERS:
        run(db, ["user", "add", name, "--role", role, *extra], stdin=PASSWORD + "\n")
    port = free_port()
    serving = subprocess.Popen(
        [str(CAREPOOL), "--db", db, "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert serving.poll() is None, "carepool serve stopped"
            assert time.monotonic() < deadline, "carepool serve did not listen within 30 s"
            time.sleep(0.1)
    yield base
    serving.terminate()
    serving.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium():
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), "
        "or name another with CAREPOOL_CHROMIUM"
    )
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


class Visit:
    """One person's browser: it signs in, checks every page it opens for accessibility, and saves
    screenshots named after the story."""

    def __init__(self, browser, base, story, phone=False):
        size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        # The pages' Content-Security-Policy allows no injected script; axe is run through the
        # driver, which the policy is relaxed for in this browser only.
        self.context = browser.new_context(viewport=size, bypass_csp=True)
        self.page = self.context.new_page()
        self.base = base
        self.story = story
        self.shots = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def open(self, path):
        self.page.goto(self.base + path)
        return self.page

    def sign_in(self, name, language=None):
        self.open("/login" + (f"?lang={language}" if language else ""))
        self.page.get_by_label("User name" if language != "fr" else "Nom d'utilisateur").fill(name)
        self.page.get_by_label("Password" if language != "fr" else "Mot de passe").fill(PASSWORD)
        self.page.locator("form.narrow button[type=submit]").click()
        self.page.wait_for_load_state()

    def check(self, step):
        """Screenshot the page, weigh it, and run axe's rules in it: under the page-weight
        budget (HTML and stylesheet together, before compression, which is stricter than the
        budget's compressed 100 KB), and no serious or critical violation."""
        self.shots += 1
        name = f"{self.story}-{self.shots:02d}-{step}.png"
        self.page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
        weight = self.page.evaluate(
            "async () => new Blob([document.documentElement.outerHTML]).size"
            " + (await (await fetch('/static/carepool.css')).blob()).size"
        )
        assert weight < 100_000, f"{name}: {weight} bytes, past the page-weight budget"
        assert self.page.evaluate("document.scripts.length") == 0, f"{name}: a page runs no script"
        self.page.evaluate(AXE.read_text())
        found = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
        )
        serious = [v for v in found if v["impact"] in ("serious", "critical")]
        assert not serious, f"{name}: accessibility violations {serious}"

    def close(self):
        self.context.close()


@pytest.fixture
def visit(server, chromium, request):
    opened = []

    def make(who, phone=False):
        story = request.node.name.removeprefix("test_")
        one = Visit(chromium, server, f"{story}-{who}", phone)
        opened.append(one)
        return one

    yield make
    for one in opened:
        one.close()
