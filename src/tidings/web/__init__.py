"""HTTP API and dashboard over the event store (FastAPI, Jinja2 templates, bundled JS)."""

from tidings.web.app import create_app

__all__ = ["create_app"]
