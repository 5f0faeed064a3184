"""The client of the operator protocol (HTTP + JSON under /api/v1).

Every failure becomes an ``OperatorProblem`` with a catalog key that says in
words what happened, and whether trying again later can help (``transient``).
A 200 that lacks the protocol's marker (a captive portal's login page) is never
taken for the operator. TLS is verified and the system's proxy honoured
(requests' defaults). A token is never sent over plain http to another
computer unless the organisation's login allows it.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

import requests

from mms_desktop.logs import keep_secret
from mms_desktop.sync.addresses import insecure
from mms_desktop.sync.problems import OperatorProblem

PROTOCOL = "mms-operator"
PROTOCOL_VERSION = 1
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
COMPRESS_ABOVE = 1024
# The operator's 403 refusals the desktop understands, with the details each carries.
_REFUSALS: dict[str, tuple[str, ...]] = {
    "organization_mismatch": ("document_organization", "token_organization"),
    "call_not_open": ("opens_at",),
    "call_closed": ("deadline",),
}


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class OperatorClient:
    def __init__(
        self,
        base_url: str,
        token: str | None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
        allow_insecure_http: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        keep_secret(token)  # whatever error carries it later, the log never shows it
        self._allow_insecure_http = allow_insecure_http
        self._session = session or requests.Session()
        self._timeout = timeout
        self.bytes_sent = 0  # request bodies, as sent (compressed where they were)

    def close(self) -> None:
        self._session.close()

    # --- plumbing -----------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> requests.Response:
        all_headers = {"Accept": "application/json", "Accept-Encoding": "gzip"} | (headers or {})
        if auth:
            if not self._token:
                raise OperatorProblem(  # a login helps
                    "sync.no_token", transient=True, whole_organization=True
                )
            if insecure(self.base_url) and not self._allow_insecure_http:
                raise OperatorProblem(
                    "sync.insecure_http",
                    transient=True,
                    params={"url": self.base_url},
                    whole_organization=True,
                )
            all_headers["Authorization"] = f"Bearer {self._token}"
        self.bytes_sent += len(data or b"")
        try:
            return self._session.request(
                method,
                f"{self.base_url}/api/v1{path}",
                data=data,
                headers=all_headers,
                params=params,
                timeout=self._timeout,
            )
        except requests.exceptions.SSLError as error:
            raise OperatorProblem(
                "sync.tls", transient=True, params={"detail": str(error)}
            ) from None
        except requests.exceptions.Timeout:
            raise OperatorProblem("sync.timeout", transient=True, whole_organization=True) from None
        except requests.exceptions.ConnectionError:
            raise OperatorProblem(
                "sync.unreachable",
                transient=True,
                params={"url": self.base_url},
                whole_organization=True,
            ) from None
        except requests.exceptions.RequestException as error:
            raise OperatorProblem(
                "sync.unreachable",
                transient=True,
                params={"url": str(error)},
                whole_organization=True,
            ) from None

    def _json(self, response: requests.Response) -> Any:
        if "json" not in response.headers.get("Content-Type", ""):
            # A login page, a proxy's error page: not our operator.
            raise OperatorProblem(
                "sync.not_the_operator",
                transient=True,
                params={"url": self.base_url},
                whole_organization=True,
            )
        try:
            return response.json()
        except ValueError:
            raise OperatorProblem(
                "sync.not_the_operator",
                transient=True,
                params={"url": self.base_url},
                whole_organization=True,
            ) from None

    def _fail(self, response: requests.Response) -> OperatorProblem:
        error: dict[str, Any] = {}
        try:
            error = self._json(response).get("error", {})
            code, message = str(error.get("code", "")), str(error.get("message", ""))
        except (OperatorProblem, AttributeError):
            code, message = "", ""
        status = response.status_code
        if status == 403 and code in _REFUSALS:
            return self._refusal(code, message, error)
        if status == 401:
            return OperatorProblem("sync.unauthorized", transient=True, whole_organization=True)
        if status in (429, 502, 503, 504) or status >= 500:
            return OperatorProblem(
                "sync.server_error",
                transient=True,
                params={"status": status},
                retry_after_s=_retry_after(response),
            )
        return OperatorProblem(
            "sync.refused",
            transient=False,
            params={"status": status, "code": code, "message": message},
        )

    @staticmethod
    def _refusal(code: str, message: str, error: dict[str, Any]) -> OperatorProblem:
        """The operator's own refusals (403) that the desktop acts on, with their details."""
        params: dict[str, object] = {"message": message}
        for name in _REFUSALS[code]:
            params[name] = str(error.get(name) or "")
        # call_not_open waits for the opening; the others need the user (or a new login).
        return OperatorProblem(
            f"sync.{code}",
            transient=code == "call_not_open",
            params=params,
            code=code,
            # Another organisation's token: so is every other item it would carry.
            whole_organization=code == "organization_mismatch",
        )

    # --- the calls ----------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """The liveness call; only an answer with the protocol's marker counts."""
        response = self._request("GET", "/health", auth=False)
        if response.status_code != 200:
            raise self._fail(response)
        body = self._json(response)
        if not isinstance(body, dict) or body.get("protocol") != PROTOCOL:
            raise OperatorProblem(
                "sync.not_the_operator",
                transient=True,
                params={"url": self.base_url},
                whole_organization=True,
            )
        return body

    def put_submission(
        self, submission_id: str, body: bytes, sha256: str, frozen_at: str | None = None
    ) -> dict[str, Any]:
        """Send one frozen document; the receipt must name the same hash.

        ``X-Frozen-At`` says when the version was frozen: a call whose deadline
        counts the frozen version (``deadline_counts: frozen``) judges by it.
        """
        headers = {"Content-Type": "application/json", "X-Content-SHA256": sha256}
        if frozen_at:
            headers["X-Frozen-At"] = frozen_at
        data = body
        if len(body) > COMPRESS_ABOVE:
            data = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        response = self._request("PUT", f"/submissions/{submission_id}", data=data, headers=headers)
        if response.status_code not in (200, 201):
            raise self._fail(response)
        receipt = self._json(response)
        if (
            not isinstance(receipt, dict)
            or str(receipt.get("content_sha256") or "").lower() != sha256.lower()
        ):
            raise OperatorProblem("sync.receipt_mismatch", transient=True)
        return receipt

    def has_blob(self, sha256: str) -> bool:
        response = self._request("HEAD", f"/blobs/{sha256}")
        if response.status_code == 200:
            return True
        if response.status_code == 404:
            return False
        raise self._fail(response)

    def put_blob(self, sha256: str, data: bytes) -> None:
        response = self._request(
            "PUT",
            f"/blobs/{sha256}",
            data=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        if response.status_code not in (200, 201):
            raise self._fail(response)

    def statuses(self, since: str | None = None) -> list[dict[str, Any]]:
        params = {"since": since} if since else None
        response = self._request("GET", "/submissions", params=params)
        if response.status_code != 200:
            raise self._fail(response)
        body = self._json(response)
        items = body.get("submissions") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise OperatorProblem(
                "sync.not_the_operator",
                transient=True,
                params={"url": self.base_url},
                whole_organization=True,
            )
        return items

    def calls(self) -> list[dict[str, Any]]:
        response = self._request("GET", "/calls")
        if response.status_code != 200:
            raise self._fail(response)
        body = self._json(response)
        items = body.get("calls") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise OperatorProblem(
                "sync.not_the_operator",
                transient=True,
                params={"url": self.base_url},
                whole_organization=True,
            )
        return items


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
