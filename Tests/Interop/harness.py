"""Harness helper for scripts/interop: agent-provider keys and the maserver configuration.

    python harness.py keys DIR            write the agent-provider (AP) key pair and its JWKS
    python harness.py config DIR PORT     write DIR/maserver.json pinning that JWKS
    python harness.py free-port           print a free TCP port on 127.0.0.1

Files written by `keys` (the test suite reads them through MA_INTEROP_DIR):
    ap-private.jwk.json   private JWK (OKP Ed25519, with "d"), kid and alg set
    ap-private.pem        the same key as PKCS#8 PEM
    ap-public.jwk.json    public JWK
    ap-jwks.json          {"keys": [public JWK]}: what the MA pins for AP_ISSUER
"""

import base64
import json
import os
import socket
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

#: The agent provider the MA trusts. Portless https: aauth's create_agent_token refuses anything else.
AP_ISSUER = "https://agents.test"
AP_KID = "interop-ap-1"
#: Issuer written into the MA config. A portless https origin, so the auth tokens the MA issues
#: pass aauth's own server-identifier checks; the MA still listens on 127.0.0.1:PORT.
MA_ISSUER = "https://ma.interop.test"
RESOURCE = "https://flights.example"


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def write_keys(directory: str) -> None:
    os.makedirs(directory, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    public = {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": _b64u(key.public_key().public_bytes_raw()),
        "alg": "Ed25519",
        "kid": AP_KID,
        "use": "sig",
    }
    private = dict(public, d=_b64u(key.private_bytes_raw()))
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write(directory, "ap-private.jwk.json", json.dumps(private, indent=2), private_file=True)
    _write(directory, "ap-private.pem", pem.decode("ascii"), private_file=True)
    _write(directory, "ap-public.jwk.json", json.dumps(public, indent=2))
    _write(directory, "ap-jwks.json", json.dumps({"keys": [public]}, indent=2))


def write_config(directory: str, port: int) -> str:
    with open(os.path.join(directory, "ap-jwks.json"), encoding="utf-8") as handle:
        jwks = json.load(handle)
    config = {
        "listen": f"127.0.0.1:{port}",
        "issuer": os.environ.get("MA_INTEROP_ISSUER", MA_ISSUER),
        "development": True,
        "data_dir": os.path.join(directory, "data"),
        "agent_providers": [{"issuer": AP_ISSUER, "jwks": jwks}],
        "auto_approval": [
            {
                "agent": "aauth:auto-*@agents.test",
                "grants": [{"resource": RESOURCE, "scopes": ["search", "fare.hold"]}],
                "review": [],
                "max_lifetime_seconds": 86400,
            }
        ],
        "agents": {"allow_pseudonymous": os.environ.get("MA_INTEROP_HWK_MODE", "register") == "pseudonymous"},
    }
    path = os.path.join(directory, "maserver.json")
    _write(directory, "maserver.json", json.dumps(config, indent=2))
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write(directory: str, name: str, text: str, private_file: bool = False) -> None:
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text + ("" if text.endswith("\n") else "\n"))
    if private_file:
        os.chmod(path, 0o600)


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "keys":
        write_keys(argv[2])
    elif len(argv) == 4 and argv[1] == "config":
        print(write_config(argv[2], int(argv[3])))
    elif len(argv) == 2 and argv[1] == "free-port":
        print(free_port())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
