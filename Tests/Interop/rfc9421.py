"""A small, independent RFC 9421 signature-base builder used to cross-check the client libraries.

It follows the rules a strict verifier applies (wire notes section 1.7): component lines in the
order of Signature-Input, HTTP field values trimmed, `@signature-params` re-serialized
canonically from the parsed Inner List (http-sfv), LF between lines, no trailing LF.
"""

from __future__ import annotations

import base64

import http_sfv


def parse_dictionary(value: str) -> http_sfv.Dictionary:
    parsed = http_sfv.Dictionary()
    parsed.parse(value.encode("ascii"))
    return parsed


def covered_components(signature_input: str, label: str) -> tuple[list[str], dict, str]:
    """(component names, signature parameters, canonical @signature-params value)."""
    member = parse_dictionary(signature_input)[label]
    assert isinstance(member, http_sfv.InnerList), "Signature-Input member must be an Inner List"
    names = [item.value for item in member]
    return names, dict(member.params), str(member)


def build_base(method: str, authority: str, path: str, headers: dict[str, str],
               signature_input: str, label: str) -> bytes:
    names, _, params = covered_components(signature_input, label)
    lowered = {name.lower(): value.strip() for name, value in headers.items()}
    lines = []
    for name in names:
        if name == "@method":
            value = method
        elif name == "@authority":
            value = authority
        elif name == "@path":
            value = path
        elif name.startswith("@"):
            raise ValueError(f"component not needed by this suite: {name}")
        else:
            value = lowered[name]
        lines.append(f'"{name}": {value}')
    lines.append(f'"@signature-params": {params}')
    return "\n".join(lines).encode("ascii")


def strict_signature_bytes(signature: str, label: str) -> bytes:
    """RFC 8941 Byte Sequence (standard base64, padded); raises on anything else."""
    member = parse_dictionary(signature)[label]
    assert isinstance(member.value, bytes)
    return member.value


def lenient_signature_bytes(signature: str, label: str) -> bytes:
    """What an interoperable verifier must do: accept `:base64url-unpadded:` as well."""
    prefix = f"{label}=:"
    start = signature.index(prefix) + len(prefix)
    text = signature[start:signature.index(":", start)]
    alphabet = text.replace("-", "+").replace("_", "/").rstrip("=")
    return base64.b64decode(alphabet + "=" * (-len(alphabet) % 4), validate=True)


def authority_of(url: str) -> str:
    """RFC 9421 section 2.2.3: lowercase host, default port omitted."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host if parts.port in (None, default) else f"{host}:{parts.port}"
