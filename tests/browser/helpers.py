"""Steps the browser tests share: signing in, axe-core, screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.auth_helpers import Credentials, code_at

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"  # gitignored
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def submit_password(page: Any, base_url: str, creds: Credentials, next_path: str = "") -> None:
    """The first factor through the real form; ends on the code page."""
    page.goto(f"{base_url}/auth/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[autocomplete=username]", creds.email)
    page.fill("input[autocomplete=current-password]", creds.password)
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/auth/mfa")


def submit_code(page: Any, creds: Credentials) -> None:
    """The second factor: the code the demo user's authenticator shows now."""
    page.fill("input[autocomplete=one-time-code]", code_at(creds.totp_secret))
    page.click("form.form button[type=submit]")
    page.wait_for_url(lambda url: "/auth/" not in url)


def sign_in(page: Any, base_url: str, creds: Credentials, next_path: str = "") -> None:
    """Password, then the TOTP code, through the real forms in the browser."""
    submit_password(page, base_url, creds, next_path)
    submit_code(page, creds)


def run_axe(page: Any) -> dict[str, Any]:
    """axe-core inside the page; ``evaluate`` is not subject to the page's CSP."""
    assert AXE_JS.exists(), "axe-core missing: run `make browser-deps` (npm ci)"
    if page.evaluate("typeof window.axe") == "undefined":
        page.evaluate(AXE_JS.read_text())
    return page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")


def serious(results: dict[str, Any], allowed: frozenset[str] = frozenset()) -> list[str]:
    """Serious and critical violations, each with up to three of its nodes."""
    return [
        f"{v['impact']} {v['id']}: {v['help']} "
        + ", ".join(str(node["target"][0]) for node in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical") and v["id"] not in allowed
    ]


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
