"""Post real Dash callback payloads through a Flask test client (or any client with .post/.get).

The body is built from the app's own ``/_dash-dependencies`` exactly as the
renderer builds it (``output``, ``outputs``, ``inputs``, ``state``,
``changedPropIds``), and carries the ``X-CSRFToken`` header from the
``_csrf_token`` cookie a Dash page load sets.
"""

from __future__ import annotations

import json
from typing import Any

PREFIX = "/dashboards/"
CALLBACK = PREFIX + "_dash-update-component"
COOKIE = "_csrf_token"


def _pairs(spec: str) -> list[dict[str, str]]:
    """``"..a.b...c.d.."`` (or ``"a.b"``) → ``[{"id": "a", "property": "b"}, …]``."""
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    out = []
    for part in parts:
        id_, _, prop = part.rpartition(".")
        out.append({"id": id_, "property": prop})
    return out


class DashClient:
    """Callbacks of the one Dash app, as the browser would call them."""

    def __init__(self, client: Any, page: str = PREFIX + "usage") -> None:
        self.client = client
        response = client.get(page)
        assert response.status_code == 200, response.status_code
        self.token = _cookie(response, COOKIE)
        self.dependencies = client.get(PREFIX + "_dash-dependencies").get_json()

    def spec(self, first_output: str) -> dict[str, Any]:
        """The dependency whose outputs start with ``first_output`` (``"usage-title.children"``)."""
        for dependency in self.dependencies:
            if (
                _pairs(dependency["output"])[0]["id"]
                + "."
                + _pairs(dependency["output"])[0]["property"].split("@")[0]
                == first_output
            ):
                return dependency
        raise KeyError(first_output)

    def body(
        self,
        first_output: str,
        values: dict[str, Any],
        changed: list[str] | None = None,
    ) -> dict[str, Any]:
        """The request body; ``values`` maps ``"id.property"`` to what the browser holds."""
        dependency = self.spec(first_output)

        def filled(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [
                {"id": i["id"], "property": i["property"], "value": values.get(_key(i))}
                for i in items
            ]

        inputs = filled(dependency["inputs"])
        return {
            "output": dependency["output"],
            "outputs": _pairs(dependency["output"])
            if dependency["output"].startswith("..")
            else _pairs(dependency["output"])[0],
            "inputs": inputs,
            "state": filled(dependency["state"]),
            "changedPropIds": changed or [_key(inputs[0])],
        }

    def post(self, body: dict[str, Any], token: str | None = None) -> Any:
        headers = {"X-CSRFToken": self.token if token is None else token}
        return self.client.post(CALLBACK, json=body, headers=headers)

    def call(
        self, first_output: str, values: dict[str, Any], changed: list[str] | None = None
    ) -> Any:
        return self.post(self.body(first_output, values, changed))


def _key(item: dict[str, Any]) -> str:
    return f"{item['id']}.{item['property']}"


def _cookie(response: Any, name: str) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header.split(";")[0].split("=", 1)[1]
    raise AssertionError(f"no {name} cookie")


def outputs(response: Any) -> dict[str, Any]:
    """``{"id.property": value}`` of a callback response."""
    payload = json.loads(response.get_data(as_text=True))
    return {
        f"{id_}.{prop}": value
        for id_, props in payload["response"].items()
        for prop, value in props.items()
    }
