"""Auth tokens for every independent signer, verified by joserfc and by aauth's own resource code."""

import json
import time

import aauth
import pytest

from interop_client import (
    RESOURCE, HmsAgent, HwkAgent, JwtAgent, b64u_decode, es256_key, signature_error, unique,
)
from token_checks import verify_auth_token

pytestmark = pytest.mark.live

KINDS = ["jwt-ed25519", "jwt-es256", "hwk-ed25519", "hwk-es256", "hms-ed25519"]


def make_agent(kind, ma, settings):
    if kind == "jwt-ed25519":
        return JwtAgent(settings, unique("auto-token"))
    if kind == "jwt-es256":
        return JwtAgent(settings, unique("auto-token-es"), key=es256_key())
    if kind == "hwk-ed25519":
        return ma.make_hwk_agent(HwkAgent())
    if kind == "hwk-es256":
        return ma.make_hwk_agent(HwkAgent(es256_key()))
    if kind == "hms-ed25519":
        return ma.make_hwk_agent(HmsAgent())
    raise ValueError(kind)


@pytest.fixture(scope="module", params=KINDS)
def agent_with_mission(request, ma, settings):
    agent = make_agent(request.param, ma, settings)
    # jwt agents named auto-* are approved by the harness's rule; hwk agents go through review.
    approval = ma.approved_mission(agent, f"# Token test ({request.param})\n\nSearch flights.",
                                   scopes=["search", "fare.hold"])
    return agent, approval["s256"]


def test_granted_token_verifies_with_joserfc(ma, metadata, ma_jwks, agent_with_mission):
    agent, mission_s256 = agent_with_mission
    response = ma.request_token(agent, mission_s256, "search")
    assert response.status_code == 200, (response.status_code, response.headers, response.text)
    body = response.json()
    assert type(body["expires_in"]) is int and 0 < body["expires_in"] <= 3600
    claims = verify_auth_token(body["auth_token"], ma_jwks, issuer=metadata["issuer"], agent=agent,
                               mission_s256=mission_s256, scope="search")
    assert abs(claims["exp"] - (time.time() + body["expires_in"])) <= 5


def test_each_token_has_its_own_jti(ma, agent_with_mission):
    agent, mission_s256 = agent_with_mission
    first = ma.request_token(agent, mission_s256, "search")
    second = ma.request_token(agent, mission_s256, "fare.hold")
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    jti = [json.loads(b64u_decode(r.json()["auth_token"].split(".")[1]))["jti"] for r in (first, second)]
    assert jti[0] != jti[1]


def test_scope_outside_the_mission_is_denied_without_signature_error(ma, agent_with_mission):
    agent, mission_s256 = agent_with_mission
    response = ma.request_token(agent, mission_s256, "fare.cancel")
    assert response.status_code == 403, (response.status_code, response.text)
    assert response.json()["error"] == "denied"
    # Wire notes 1.5: a 403 means the signature verified; it never carries the 401 challenge headers.
    for header in ("Signature-Error", "Accept-Signature-Scheme", "Accept-Signature-Alg"):
        assert header not in response.headers
    assert signature_error(response) is None


def test_auth_token_accepted_by_aauth_resource_verifier(ma, metadata, ma_jwks, settings):
    """A resource built on aauth 0.5 checks typ, dwk, iss, aud, sub, ps == iss, cnf and exp - iat."""
    agent = JwtAgent(settings, unique("auto-aauth"))
    approval = ma.approved_mission(agent, "# aauth resource check\n\nSearch flights.")
    response = ma.request_token(agent, approval["s256"], "search")
    assert response.status_code == 200, response.text
    claims = aauth.verify_token(
        response.json()["auth_token"], lambda iss, dwk, kid: ma_jwks,
        expected_typ="aa-auth+jwt", expected_iss=metadata["issuer"], expected_aud=RESOURCE,
        request_signing_jwk=agent.public_jwk,
    )
    assert claims["mission_s256"] == approval["s256"]
