"""`extractor serve OUT`: the review service over a run's output folder (FastAPI under uvicorn).

Decisions are kept in OUT/reviews.db (`extractor.outputs`); the run's outputs are read only.

Public API: `serve(out_dir, host, port, ...)`, `create_app(ServiceConfig)`, `ServiceConfig`, `Users`,
`users_path`, `export_gold`; `ServiceError`, `AuthError` (defined in `extractor.errors`).
"""

from typing import TYPE_CHECKING

from extractor.errors import AuthError, ServiceError
from extractor.lazy import lazy_names as _lazy_names
from extractor.service._auth import Users, users_path
from extractor.service._server import serve

__all__ = ["AuthError", "create_app", "export_gold", "serve", "ServiceConfig", "ServiceError", "Users", "users_path"]

if TYPE_CHECKING:
    from extractor.service._app import ServiceConfig, create_app
    from extractor.service._gold import export_gold

# Imported on first use (PEP 562): FastAPI and jinja2 load only when the service starts or exports.
_LAZY = {
    "ServiceConfig": "extractor.service._app",
    "create_app": "extractor.service._app",
    "export_gold": "extractor.service._gold",
}

__getattr__ = _lazy_names(__name__, _LAZY)
