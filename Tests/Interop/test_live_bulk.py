"""Many requests from http-message-signatures 3.0: every one must verify (200 or 403, never 401).

The count comes from MA_INTEROP_BULK (default 500). Bodies differ per request, so each signature
is distinct even when several share the same `created` second: an MA whose replay cache keys only
on (key, created, method, authority, path) would wrongly refuse them as replays.
Parameters rotate over the library's options (alg, keyid, nonce, tag, expires, label "pyhms").
"""

import collections
import os

import pytest

from interop_client import HmsAgent, compact_json, signature_error
from token_checks import verify_auth_token

pytestmark = pytest.mark.live

COUNT = int(os.environ.get("MA_INTEROP_BULK", "500"))


def test_bulk_requests_signed_by_http_message_signatures_all_verify(ma, settings, metadata, ma_jwks):
    agent = ma.make_hwk_agent(HmsAgent())
    mission = ma.approved_mission(agent, "# Bulk interop\n\nSearch flights many times.", scopes=["search"])["s256"]
    outcomes = collections.Counter()
    wrong = []
    checked_token = False
    for index in range(COUNT):
        denied = index % 5 == 4
        scope = "fare.cancel" if denied else "search"
        body = compact_json({"mission_s256": mission, "resource": "https://flights.example", "scope": scope,
                             "justification": f"bulk request {index}"})
        response = ma.send(agent.sign(settings, "POST", "/token", body, variant=index % 4))
        outcomes[response.status_code] += 1
        expected = 403 if denied else 200
        if response.status_code != expected:
            wrong.append((index, index % 4, response.status_code, response.headers.get("Signature-Error"),
                          response.text[:200]))
            continue
        if denied:
            assert signature_error(response) is None
        elif not checked_token:
            verify_auth_token(response.json()["auth_token"], ma_jwks, issuer=metadata["issuer"], agent=agent,
                              mission_s256=mission, scope="search")
            checked_token = True
    assert not wrong, f"{len(wrong)} of {COUNT} unexpected (outcomes {dict(outcomes)}); first: {wrong[:5]}"
    assert outcomes[401] == 0
