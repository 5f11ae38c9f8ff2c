"""Who is on the other end of the request, for the audit log and throttling."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request


@dataclass(frozen=True)
class ClientInfo:
    ip_address: str | None
    user_agent: str | None


def current_client() -> ClientInfo:
    """The caller's address (after ProxyFix, if configured) and browser."""
    agent = request.user_agent.string or None
    return ClientInfo(request.remote_addr, agent[:300] if agent else None)
