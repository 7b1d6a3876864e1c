"""Verification of the MA's auth tokens with joserfc, a JOSE library nobody here wrote."""

from __future__ import annotations

import json
import time
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet

from interop_client import RESOURCE, Agent, b64u_decode, thumbprint

#: joserfc 1.8 registers RFC 9864 "Ed25519" but treats only HS256/RS256/ES256 as "recommended",
#: so every decode must name the algorithms it accepts.
ACCEPTED_ALGORITHMS = ["Ed25519", "ES256"]


def verify_auth_token(token: str, jwks: dict, *, issuer: str, agent: Agent, mission_s256: str,
                      scope: str) -> dict[str, Any]:
    """Check an `aa-auth+jwt` the way a resource would (DESIGN.md section 3.5); return the claims."""
    header = json.loads(b64u_decode(token.split(".")[0]))
    assert header.get("typ") == "aa-auth+jwt", header
    assert header.get("alg") in ACCEPTED_ALGORITHMS, header
    published = [key for key in jwks["keys"] if key.get("kid") == header.get("kid")]
    assert len(published) == 1, f"kid {header.get('kid')!r} must name exactly one published key"
    assert published[0].get("alg") == header["alg"], (published[0], header)

    decoded = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=ACCEPTED_ALGORITHMS)
    claims = decoded.claims
    now = time.time()
    assert claims["iss"] == issuer
    assert claims["aud"] == RESOURCE
    assert claims["sub"] == agent.identity
    confirmed = claims["cnf"]["jwk"]
    assert thumbprint(confirmed) == thumbprint(agent.public_jwk)
    assert confirmed.get("alg") == agent.public_jwk["alg"], "cnf.jwk must carry the key's alg"
    assert "d" not in confirmed
    assert claims["scope"] == scope
    assert isinstance(claims["jti"], str) and claims["jti"]
    for name in ("iat", "exp"):
        assert type(claims[name]) is int, (name, claims[name])
    assert claims["iat"] <= now + 5
    assert claims["exp"] > now
    assert claims["exp"] - claims["iat"] <= 3600
    assert claims["mission_s256"] == mission_s256
    assert claims["mission"]["s256"] == mission_s256
    return claims
