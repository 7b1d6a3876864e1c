"""Clients for the interoperability suite: three independent signers and an admin client.

Every agent request is signed by a library nobody in this project wrote:
  * JwtAgent  - aauth 0.5 (agent token from `create_agent_token`, `AgentRequestSigner`, scheme jwt)
  * HwkAgent  - aauth-signing 0.2 (`sign_request`, scheme hwk, bare key)
  * HmsAgent  - http-message-signatures 3.0 (`HTTPMessageSigner`, ED25519, hand-built hwk Signature-Key)
Docs/Interop.md describes exactly what each one puts on the wire.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import json
import os
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import aauth
import aauth_signing
import aauth_signing.signer
from aauth_signing.keys.jwk import calculate_jwk_thumbprint, public_key_to_jwk
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from http_message_signatures import HTTPMessageSigner, MappingKeyResolver, algorithms

AP_ISSUER = "https://agents.test"
AP_KID = "interop-ap-1"
RESOURCE = "https://flights.example"
JSON = "application/json"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def s256(data: bytes) -> str:
    """Unpadded base64url SHA-256: the mission identifier (DESIGN.md section 3.2)."""
    return b64u(hashlib.sha256(data).digest())


def compact_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def unique(prefix: str) -> str:
    """A fresh agent local part, so tests never share state on a long-lived MA."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def thumbprint(jwk: dict[str, Any]) -> str:
    return calculate_jwk_thumbprint(jwk)


# ----------------------------------------------------------------------------------------------
# Settings


@dataclass(frozen=True)
class Settings:
    """The live MA under test, from the environment scripts/interop exports."""

    ma_url: str
    admin_key: str
    interop_dir: str
    hwk_mode: str
    #: Authority the client signs and sends in Host; defaults to MA_URL's authority.
    authority: str

    @staticmethod
    def from_environment() -> "Settings | None":
        url = os.environ.get("MA_URL", "").rstrip("/")
        if not url:
            return None
        mode = os.environ.get("MA_INTEROP_HWK_MODE", "register")
        if mode not in ("register", "pseudonymous"):
            raise ValueError("MA_INTEROP_HWK_MODE must be register or pseudonymous")
        return Settings(
            ma_url=url,
            admin_key=os.environ.get("MA_ADMIN_KEY", ""),
            interop_dir=os.environ.get("MA_INTEROP_DIR", ""),
            hwk_mode=mode,
            authority=os.environ.get("MA_INTEROP_AUTHORITY") or urlsplit(url).netloc,
        )

    def signing_url(self, path: str) -> str:
        """The target URI the signer sees: @authority and @path are derived from it."""
        return f"{urlsplit(self.ma_url).scheme}://{self.authority}{path}"

    def ap_private_key(self) -> Ed25519PrivateKey:
        with open(os.path.join(self.interop_dir, "ap-private.pem"), "rb") as handle:
            key = serialization.load_pem_private_key(handle.read(), password=None)
        assert isinstance(key, Ed25519PrivateKey)
        return key


# ----------------------------------------------------------------------------------------------
# A signed request, ready to send (and to tamper with)


@dataclass
class SignedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None

    def copy(self) -> "SignedRequest":
        return SignedRequest(self.method, self.path, dict(self.headers), self.body)


@contextlib.contextmanager
def signing_clock(offset_seconds: int):
    """Shift the clock aauth-signing reads for `created` (it calls time.time() in signer.py)."""
    if offset_seconds == 0:
        yield
        return
    real = time.time
    shifted = type("ShiftedTime", (), {"time": staticmethod(lambda: real() + offset_seconds)})
    with mock.patch.object(aauth_signing.signer, "time", shifted):
        yield


class Agent:
    """Something that signs agent requests; `identity` is what the MA should call it."""

    identity: str
    public_jwk: dict[str, Any]
    scheme: str

    def sign(self, settings: Settings, method: str, path: str, body: bytes | None,
             created_offset: int = 0) -> SignedRequest:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.identity}, {self.public_jwk.get('alg')})"


class JwtAgent(Agent):
    """An agent with an agent token (`typ aa-agent+jwt`) from the harness's agent provider."""

    scheme = "jwt"

    def __init__(self, settings: Settings, local: str, key=None, provider_key=None):
        """`provider_key` overrides the harness's AP key (to forge a token the MA must refuse)."""
        self.private_key = key or Ed25519PrivateKey.generate()
        self.public_jwk = aauth.public_key_to_jwk(self.private_key.public_key())
        self.identity = f"aauth:{local}@agents.test"
        self.agent_token = aauth.create_agent_token(
            AP_ISSUER, self.identity, self.public_jwk, provider_key or settings.ap_private_key(), AP_KID,
            exp=int(time.time()) + 3600,
        )
        self._signer = aauth.AgentRequestSigner(self.private_key, agent_token=self.agent_token)

    def sign(self, settings, method, path, body, created_offset=0):
        headers = {"Content-Type": JSON} if body is not None else {}
        # recipient_role="ps" makes aauth cover content-digest and content-type (body requests).
        with signing_clock(created_offset):
            produced = self._signer.sign_request(
                method, settings.signing_url(path), headers, body, recipient_role="ps"
            )
        # sign_request writes Content-Digest into `headers` but returns only the three signature
        # headers: both dictionaries must be sent.
        headers.update(produced)
        return SignedRequest(method, path, headers, body)


class HwkAgent(Agent):
    """A bare key (scheme hwk) signed by aauth-signing's standalone sign_request."""

    scheme = "hwk"

    def __init__(self, key=None):
        self.private_key = key or Ed25519PrivateKey.generate()
        self.public_jwk = public_key_to_jwk(self.private_key.public_key())
        self.identity = "urn:jkt:sha-256:" + thumbprint(self.public_jwk)

    def sign(self, settings, method, path, body, created_offset=0):
        headers = {"Content-Type": JSON} if body is not None else {}
        extra = ["content-type", "content-digest"] if body is not None else []
        with signing_clock(created_offset):
            produced = aauth_signing.sign_request(
                method, settings.signing_url(path), headers, body, self.private_key,
                sig_scheme="hwk", additional_signature_components=extra,
            )
        headers.update(produced)
        return SignedRequest(method, path, headers, body)


class _HMSMessage:
    """The request shape http-message-signatures reads: method, absolute url, headers."""

    def __init__(self, method: str, url: str, headers: dict[str, str]):
        self.method = method
        self.url = url
        self.headers = headers


class HmsAgent(Agent):
    """A bare Ed25519 key signed by http-message-signatures 3.0 with a hand-built hwk Signature-Key.

    `variant` spreads the parameters a strict verifier must tolerate over the requests:
    0 library defaults (created, keyid, alg="ed25519"), 1 adds nonce, 2 adds tag,
    3 adds expires and omits alg. Even variants use the label "sig", odd ones the library's "pyhms".
    """

    scheme = "hwk"

    def __init__(self, key: Ed25519PrivateKey | None = None):
        self.private_key = key or Ed25519PrivateKey.generate()
        self.public_jwk = public_key_to_jwk(self.private_key.public_key())
        self.jkt = thumbprint(self.public_jwk)
        self.identity = "urn:jkt:sha-256:" + self.jkt
        self._signer = HTTPMessageSigner(
            signature_algorithm=algorithms.ED25519,
            key_resolver=MappingKeyResolver(public_keys={}, private_keys={self.jkt: self.private_key}),
        )

    def signature_key_header(self, label: str) -> str:
        jwk = self.public_jwk
        return f'{label}=hwk;kty="{jwk["kty"]}";crv="{jwk["crv"]}";x="{jwk["x"]}";alg="{jwk["alg"]}"'

    def sign(self, settings, method, path, body, created_offset=0, variant: int = 0,
             components: list[str] | None = None):
        """`components` replaces the covered list (content-digest is still appended with a body)."""
        label = "sig" if variant % 2 == 0 else "pyhms"
        headers = {"Signature-Key": self.signature_key_header(label)}
        covered = ["@method", "@authority", "@path", "signature-key"]
        if body is not None:
            headers["Content-Type"] = JSON
            covered.insert(3, "content-type")
        if components is not None:
            covered = list(components)
        now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=created_offset)
        options: dict[str, Any] = {}
        if variant % 4 == 1:
            options["nonce"] = secrets.token_urlsafe(12)
        if variant % 4 == 2:
            options["tag"] = "aauth-interop"
        if variant % 4 == 3:
            options["expires"] = now + datetime.timedelta(seconds=30)
            options["include_alg"] = False
        message = _HMSMessage(method, settings.signing_url(path), headers)
        # With body= the library adds Content-Digest (sha-256) and appends "content-digest" to
        # the covered components.
        self._signer.sign(
            message, key_id=self.jkt, created=now, label=label,
            covered_component_ids=covered, body=body, **options,
        )
        return SignedRequest(method, path, dict(message.headers), body)


def es256_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


# ----------------------------------------------------------------------------------------------
# Talking to the MA


@dataclass
class MAClient:
    settings: Settings
    session: requests.Session = field(default_factory=requests.Session)

    # -- transport

    def send(self, request: SignedRequest, timeout: float = 30) -> requests.Response:
        headers = dict(request.headers)
        if self.settings.authority != urlsplit(self.settings.ma_url).netloc:
            headers["Host"] = self.settings.authority
        return self.session.request(
            request.method, self.settings.ma_url + request.path, headers=headers,
            data=request.body, timeout=timeout, allow_redirects=False,
        )

    def signed(self, agent: Agent, method: str, path: str, body: Any = None,
               created_offset: int = 0) -> requests.Response:
        raw = None if body is None else (body if isinstance(body, bytes) else compact_json(body))
        return self.send(agent.sign(self.settings, method, path, raw, created_offset))

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.settings.ma_url + path, timeout=30)

    def admin(self, method: str, path: str, body: Any = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.settings.admin_key}"}
        data = None
        if body is not None:
            headers["Content-Type"] = JSON
            data = compact_json(body)
        return self.session.request(
            method, self.settings.ma_url + path, headers=headers, data=data, timeout=30
        )

    # -- agents

    def make_hwk_agent(self, agent: Agent) -> Agent:
        """Register a bare-key agent with the MA unless it runs with pseudonymous agents allowed."""
        if self.settings.hwk_mode == "register":
            # contract: admin POST /agents {"name", "jwk"} registers a pseudonymous agent key
            # (DESIGN.md section 4, "register pseudonymous agent keys"); 200 or 201.
            response = self.admin("POST", "/agents", {"name": unique("interop-hwk"), "jwk": agent.public_jwk})
            assert response.status_code in (200, 201), (response.status_code, response.text)
        return agent

    # -- missions

    def propose(self, agent: Agent, description: str, scopes=("search",)) -> requests.Response:
        body = {"description": description, "resources": [{"resource": RESOURCE, "scopes": list(scopes)}]}
        return self.signed(agent, "POST", "/mission", body)

    def pending_reviews(self) -> list[dict[str, Any]]:
        response = self.admin("GET", "/reviews?status=pending")
        assert response.status_code == 200, (response.status_code, response.text)
        payload = response.json()
        # contract: the queue is a JSON array or an object holding it under "reviews" (or "items").
        if isinstance(payload, dict):
            payload = payload.get("reviews", payload.get("items", []))
        assert isinstance(payload, list), payload
        return payload

    def find_review(self, pending_id: str, agent: Agent) -> dict[str, Any]:
        """The review behind a 202: matched by pending id, else by the proposing agent."""
        reviews = self.pending_reviews()
        for review in reviews:
            # contract: a review names its pending request ("pending_id", or "id" when they are
            # the same) and the agent ("agent").
            if pending_id in (review.get("pending_id"), review.get("id"), review.get("pending")):
                return review
        for review in reviews:
            if agent.identity in json.dumps(review):
                return review
        raise AssertionError(f"no pending review for {pending_id} / {agent.identity}: {reviews}")

    def approve(self, review_id: str, scopes=("search",), review_scopes=()) -> requests.Response:
        body = {
            "grants": [{"resource": RESOURCE, "scopes": list(scopes)}],
            "review": [{"resource": RESOURCE, "scopes": list(review_scopes)}] if review_scopes else [],
        }
        return self.admin("POST", f"/reviews/{review_id}/approve", body)

    def approved_mission(self, agent: Agent, description: str, scopes=("search",)) -> dict[str, Any]:
        """Propose, approve through the admin API when deferred, and return {"s256", "mission"}."""
        response = self.propose(agent, description, scopes)
        if response.status_code == 200:
            return response.json()
        assert response.status_code == 202, (response.status_code, response.headers, response.text)
        pending_path = urlsplit(response.headers["Location"]).path
        review = self.find_review(pending_path.rsplit("/", 1)[-1], agent)
        decided = self.approve(review["id"], scopes)
        assert decided.status_code in (200, 204), (decided.status_code, decided.text)
        polled = self.poll(agent, pending_path)
        assert polled.status_code == 200, (polled.status_code, polled.headers, polled.text)
        return polled.json()

    def poll(self, agent: Agent, pending_path: str) -> requests.Response:
        """A signed GET of a pending URL, sent in a later second than any earlier poll.

        A body-less GET signed with Ed25519 in the same second as the previous one is
        byte-identical to it, so a replay cache refuses it; real pollers wait Retry-After (>= 1 s).
        """
        time.sleep(1.0 - (time.time() % 1.0) + 0.01)
        return self.signed(agent, "GET", pending_path)

    def request_token(self, agent: Agent, mission_s256: str, scope: str, **extra) -> requests.Response:
        # Ed25519 is deterministic: the same body signed in the same second gives byte-identical
        # requests, which the MA rightly refuses as a replay. A unique justification keeps every
        # request distinct.
        extra.setdefault("justification", unique("interop"))
        body = {"mission_s256": mission_s256, "resource": RESOURCE, "scope": scope, **extra}
        return self.signed(agent, "POST", "/token", body)


def signature_error(response: requests.Response) -> str | None:
    """The `error` member of the Signature-Error dictionary, parsed with http-sfv."""
    value = response.headers.get("Signature-Error")
    if value is None:
        return None
    import http_sfv

    parsed = http_sfv.Dictionary()
    parsed.parse(value.encode("ascii"))
    member = parsed.get("error")
    return None if member is None else str(member.value)
