"""Offline self-checks: the shared vector, and what each client library really emits.

These run without a server. They pin the wire quirks documented in Docs/Interop.md, so a library
upgrade that changes them fails here first, and they check that this harness's own base builder
(rfc9421.py) agrees with the vector the Swift verifier is tested against.
"""

import base64
import hashlib
import json
import os
import re
from pathlib import Path

import aauth
import aauth_signing
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from joserfc import jws, jwt
from joserfc.errors import UnsupportedAlgorithmError
from joserfc.jwk import KeySet

import harness
import rfc9421
from interop_client import HmsAgent, Settings, b64u, b64u_decode, es256_key, s256, thumbprint

# ----------------------------------------------------------------------------------------------
# The shared vector (/work/shared/vectors/test-vectors.txt; in CI a copy of shared/ sits beside
# the clone).


def _vector_path() -> Path | None:
    here = Path(__file__).resolve()
    candidates = [os.environ.get("MA_VECTORS", ""), str(here.parents[3] / "shared/vectors/test-vectors.txt"),
                  "/work/shared/vectors/test-vectors.txt"]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="module")
def vector() -> dict:
    path = _vector_path()
    if path is None:
        pytest.skip("shared/vectors/test-vectors.txt not found (set MA_VECTORS)")
    text = path.read_text(encoding="utf-8")
    fields = {}
    for line in text.splitlines():
        name, sep, value = line.partition(": ")
        if sep and not line.startswith('"'):
            fields[name] = value
    start = text.index("--- signature base (no trailing LF) ---\n") + len("--- signature base (no trailing LF) ---\n")
    fields["base"] = text[start:text.index("\n--- end ---")]
    return fields


def test_vector_signature_base_is_rebuilt_by_this_harness(vector):
    headers = {
        "Content-Type": "application/json",
        "Content-Digest": vector["Content-Digest"],
        "Signature-Key": vector["Signature-Key"],
    }
    base = rfc9421.build_base("POST", "ma.example", "/mission", headers, vector["Signature-Input"], "sig")
    assert base.decode() == vector["base"]
    assert not base.endswith(b"\n")


def test_vector_signature_verifies_with_cryptography(vector):
    jwk = json.loads(vector["agent public JWK"])
    key = Ed25519PublicKey.from_public_bytes(b64u_decode(jwk["x"]))
    signature = rfc9421.strict_signature_bytes(vector["Signature"], "sig")
    assert len(signature) == 64
    key.verify(signature, vector["base"].encode())
    with pytest.raises(InvalidSignature):
        key.verify(signature, vector["base"].encode().replace(b"/mission", b"/missiom"))


def test_vector_headers_parse_as_structured_fields(vector):
    names, params, canonical = rfc9421.covered_components(vector["Signature-Input"], "sig")
    assert names == ["@method", "@authority", "@path", "content-type", "content-digest", "signature-key"]
    assert params == {"created": 1730217600}
    assert "sig=" + canonical == vector["Signature-Input"]
    key_member = rfc9421.parse_dictionary(vector["Signature-Key"])["sig"]
    assert str(key_member.value) == "jwt"
    assert set(key_member.params) == {"jwt"}
    digest = rfc9421.parse_dictionary(vector["Content-Digest"])["sha-256"].value
    assert digest == hashlib.sha256(vector["request body"].encode()).digest()


def test_vector_agent_token_verifies_with_joserfc(vector):
    jwks = KeySet.import_key_set(json.loads(vector["AP JWKS"]))
    token = jwt.decode(vector["agent token"], jwks, algorithms=["Ed25519"])
    assert token.header == {"alg": "Ed25519", "typ": "aa-agent+jwt", "kid": "ap-key-1"}
    assert token.claims["cnf"]["jwk"] == json.loads(vector["agent public JWK"])
    assert thumbprint(token.claims["cnf"]["jwk"]) == vector["agent_jkt (RFC 7638, SHA-256)"]


def test_vector_mission_s256(vector):
    blob = vector["mission blob bytes"].encode()
    assert b64u(blob) == vector["mission (base64url)"]
    assert s256(blob) == vector["s256"]


# ----------------------------------------------------------------------------------------------
# aauth-signing 0.2 / aauth 0.5


URL = "http://127.0.0.1:18080/mission"
BODY = b'{"description":"# Interop\\n\\nCheck the wire."}'


def _signed_by_aauth_signing(key, headers=None, url=URL, body=BODY, extra=("content-type", "content-digest")):
    headers = {"Content-Type": "application/json"} if headers is None else headers
    produced = aauth_signing.sign_request("POST", url, headers, body, key, sig_scheme="hwk",
                                          additional_signature_components=list(extra))
    return headers, produced


def test_aauth_signing_hwk_wire_format():
    key = Ed25519PrivateKey.generate()
    headers, produced = _signed_by_aauth_signing(key)
    assert set(produced) == {"Signature-Input", "Signature", "Signature-Key"}
    # Content-Digest lands only in the caller's dict, not in the returned headers.
    assert "Content-Digest" in headers and "Content-Digest" not in produced
    assert headers["Content-Digest"] == "sha-256=:" + base64.b64encode(hashlib.sha256(BODY).digest()).decode() + ":"
    assert re.fullmatch(
        r'sig=\("@method" "@authority" "@path" "content-type" "content-digest" "signature-key"\);created=\d+',
        produced["Signature-Input"])
    x = b64u(key.public_key().public_bytes_raw())
    assert produced["Signature-Key"] == f'sig=hwk;alg="Ed25519";kty="OKP";crv="Ed25519";x="{x}"'
    # Signature: base64url without padding inside the colons (RFC 8941 wants padded base64).
    assert re.fullmatch(r"sig=:[A-Za-z0-9_-]{86}:", produced["Signature"])
    with pytest.raises(Exception):
        rfc9421.strict_signature_bytes(produced["Signature"], "sig")


def test_aauth_signing_signature_verifies_over_independent_base():
    key = Ed25519PrivateKey.generate()
    headers, produced = _signed_by_aauth_signing(key)
    all_headers = {**headers, **produced}
    base = rfc9421.build_base("POST", "127.0.0.1:18080", "/mission", all_headers, produced["Signature-Input"], "sig")
    key.public_key().verify(rfc9421.lenient_signature_bytes(produced["Signature"], "sig"), base)


def test_aauth_signing_authority_is_the_raw_url_netloc():
    key = Ed25519PrivateKey.generate()
    url = "https://MA.Example:443/mission"
    headers, produced = _signed_by_aauth_signing(key, url=url)
    all_headers = {**headers, **produced}
    signature = rfc9421.lenient_signature_bytes(produced["Signature"], "sig")
    as_signed = rfc9421.build_base("POST", "MA.Example:443", "/mission", all_headers, produced["Signature-Input"], "sig")
    key.public_key().verify(signature, as_signed)
    normalised = rfc9421.build_base("POST", rfc9421.authority_of(url), "/mission", all_headers,
                                    produced["Signature-Input"], "sig")
    with pytest.raises(InvalidSignature):
        key.public_key().verify(signature, normalised)


def test_aauth_signing_defaults_content_type_to_octet_stream():
    key = Ed25519PrivateKey.generate()
    headers, _ = _signed_by_aauth_signing(key, headers={})
    assert headers["Content-Type"] == "application/octet-stream"


def test_aauth_signing_es256_signature_is_der():
    key = es256_key()
    headers, produced = _signed_by_aauth_signing(key)
    assert 'alg="ES256"' in produced["Signature-Key"] and ';y="' in produced["Signature-Key"]
    signature = rfc9421.lenient_signature_bytes(produced["Signature"], "sig")
    # ASN.1 SEQUENCE of two INTEGERs (usually 70-72 bytes), not RFC 9421's fixed 64-byte r||s.
    assert signature[0] == 0x30 and signature[1] == len(signature) - 2
    r, s = decode_dss_signature(signature)
    assert 0 < r < 2**256 and 0 < s < 2**256
    base = rfc9421.build_base("POST", "127.0.0.1:18080", "/mission", {**headers, **produced},
                              produced["Signature-Input"], "sig")
    key.public_key().verify(signature, base, ec.ECDSA(hashes.SHA256()))


def test_aauth_agent_token_and_agent_request_signer(tmp_path):
    harness.write_keys(str(tmp_path))
    settings = Settings("http://127.0.0.1:18080", "", str(tmp_path), "register", "127.0.0.1:18080")
    agent_key = Ed25519PrivateKey.generate()
    agent_jwk = aauth.public_key_to_jwk(agent_key.public_key())
    token = aauth.create_agent_token(harness.AP_ISSUER, "aauth:interop@agents.test", agent_jwk,
                                     settings.ap_private_key(), harness.AP_KID)
    jwks = KeySet.import_key_set(json.loads((tmp_path / "ap-jwks.json").read_text()))
    decoded = jwt.decode(token, jwks, algorithms=["Ed25519"])
    assert decoded.header == {"alg": "Ed25519", "kid": harness.AP_KID, "typ": "aa-agent+jwt"}
    assert set(decoded.claims) == {"iss", "sub", "dwk", "jti", "iat", "exp", "cnf"}
    assert decoded.claims["iss"] == "https://agents.test" and decoded.claims["dwk"] == "aauth-agent.json"
    assert decoded.claims["cnf"]["jwk"] == {**agent_jwk}
    assert decoded.claims["exp"] - decoded.claims["iat"] == 3600
    with pytest.raises(Exception):
        aauth.create_agent_token("https://agents.test:8443", "aauth:x@agents.test", agent_jwk,
                                 settings.ap_private_key(), harness.AP_KID)

    headers = {"Content-Type": "application/json"}
    produced = aauth.AgentRequestSigner(agent_key, agent_token=token).sign_request(
        "POST", URL, headers, BODY, recipient_role="ps")
    assert re.fullmatch(
        r'sig=\("@method" "@authority" "@path" "content-digest" "content-type" "signature-key"\);created=\d+',
        produced["Signature-Input"])
    assert produced["Signature-Key"] == f'sig=jwt;jwt="{token}"'
    base = rfc9421.build_base("POST", "127.0.0.1:18080", "/mission", {**headers, **produced},
                              produced["Signature-Input"], "sig")
    agent_key.public_key().verify(rfc9421.lenient_signature_bytes(produced["Signature"], "sig"), base)
    # Without a body nothing but the four AAuth components is covered.
    bare = aauth.AgentRequestSigner(agent_key, agent_token=token).sign_request("GET", URL, {}, None)
    assert bare["Signature-Input"].startswith('sig=("@method" "@authority" "@path" "signature-key");created=')


# ----------------------------------------------------------------------------------------------
# http-message-signatures 3.0


@pytest.mark.parametrize("variant", [0, 1, 2, 3])
def test_http_message_signatures_wire_format(variant):
    agent = HmsAgent()
    settings = Settings("http://127.0.0.1:18080", "", "", "register", "127.0.0.1:18080")
    request = agent.sign(settings, "POST", "/token", BODY, variant=variant)
    label = "sig" if variant % 2 == 0 else "pyhms"
    names, params, _ = rfc9421.covered_components(request.headers["Signature-Input"], label)
    assert names == ["@method", "@authority", "@path", "content-type", "signature-key", "content-digest"]
    assert params["keyid"] == agent.jkt and isinstance(params["created"], int)
    assert list(params)[:2] == ["created", "keyid"]
    assert ("alg" in params) == (variant % 4 != 3)
    if "alg" in params:
        assert params["alg"] == "ed25519"  # the RFC 9421 registry name, not the JOSE "Ed25519"
    assert ("nonce" in params) == (variant % 4 == 1)
    assert ("tag" in params) == (variant % 4 == 2)
    assert ("expires" in params) == (variant % 4 == 3)
    # Signature: a proper RFC 8941 Byte Sequence (standard, padded base64).
    signature = rfc9421.strict_signature_bytes(request.headers["Signature"], label)
    assert request.headers["Content-Digest"] == (
        "sha-256=:" + base64.b64encode(hashlib.sha256(BODY).digest()).decode() + ":")
    base = rfc9421.build_base("POST", "127.0.0.1:18080", "/token", request.headers,
                              request.headers["Signature-Input"], label)
    agent.private_key.public_key().verify(signature, base)


def test_http_message_signatures_authority_is_normalised():
    agent = HmsAgent()
    settings = Settings("https://MA.Example:443", "", "", "register", "MA.Example:443")
    request = agent.sign(settings, "GET", "/pending/abc", None)
    base = rfc9421.build_base("GET", "ma.example", "/pending/abc", request.headers,
                              request.headers["Signature-Input"], "sig")
    agent.private_key.public_key().verify(rfc9421.strict_signature_bytes(request.headers["Signature"], "sig"), base)


# ----------------------------------------------------------------------------------------------
# joserfc and RFC 9864 "Ed25519"


def test_joserfc_needs_ed25519_named_explicitly():
    key = Ed25519PrivateKey.generate()
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64u(key.public_key().public_bytes_raw()),
           "d": b64u(key.private_bytes_raw()), "alg": "Ed25519", "kid": "k"}
    keys = KeySet.import_key_set({"keys": [jwk]})
    token = jws.serialize_compact({"alg": "Ed25519", "kid": "k"}, b"{}", keys, algorithms=["Ed25519"])
    with pytest.raises(UnsupportedAlgorithmError):
        jws.deserialize_compact(token, keys)  # default registry: only "recommended" algorithms
    assert jws.deserialize_compact(token, keys, algorithms=["Ed25519", "ES256"]).payload == b"{}"
