"""Mission proposals from independent clients: auto-approval, the seed form, and human review."""

import json
from urllib.parse import urlsplit

import aauth
import http_sfv
import pytest

from interop_client import JwtAgent, b64u_decode, s256, unique

pytestmark = pytest.mark.live

DESCRIPTION = "# Book a trip\n\nFind flights from Zürich to Lisbon ✈ for next week and hold the cheapest fare."


def test_metadata_and_jwks(metadata, ma_jwks):
    assert metadata["issuer"]
    assert metadata.get("mission_supported") is True
    keys = ma_jwks["keys"]
    assert keys, "the MA must publish at least one signing key"
    for key in keys:
        # Wire notes 1.1 / DESIGN 3.5: every published key carries a fully specified alg and a kid.
        assert key.get("kid"), key
        assert key.get("alg") in ("Ed25519", "ES256"), key
        assert "d" not in key
        expected = {"Ed25519": ("OKP", "Ed25519"), "ES256": ("EC", "P-256")}[key["alg"]]
        assert (key.get("kty"), key.get("crv")) == expected, key


def test_auto_approved_proposal_description_form(ma, settings):
    agent = JwtAgent(settings, unique("auto-mission"))
    response = ma.propose(agent, DESCRIPTION)
    assert response.status_code == 200, (response.status_code, response.headers, response.text)
    approval = response.json()
    blob = b64u_decode(approval["mission"])
    assert len(approval["s256"]) == 43
    assert approval["s256"] == s256(blob)
    mission = json.loads(blob)
    assert mission["agent"] == agent.identity
    # contract: auto-approval does not edit the text, so the blob's description is what was sent.
    assert mission["description"] == DESCRIPTION
    assert mission.get("approved_at")


def test_approval_parses_with_aauth(ma, settings):
    """aauth 0.5 (draft -11) refuses a blob that still carries `approver` or `capabilities`."""
    agent = JwtAgent(settings, unique("auto-parse"))
    response = ma.propose(agent, DESCRIPTION)
    assert response.status_code == 200, response.text
    parsed = aauth.parse_mission_approval(response.json())
    assert parsed["mission_s256"] == response.json()["s256"]


def test_seed_form_hashes_the_utf8_of_approved(ma, settings):
    agent = JwtAgent(settings, unique("auto-seed"))
    response = ma.signed(agent, "POST", "/mission", {"mission_proposal": DESCRIPTION})
    assert response.status_code == 200, (response.status_code, response.text)
    mission = response.json()["mission"]
    assert mission["s256"] == s256(mission["approved"].encode("utf-8"))
    assert DESCRIPTION in mission["approved"]


def test_proposal_needing_review_is_deferred_then_approved(ma, settings):
    agent = JwtAgent(settings, unique("interop-review"))
    response = ma.propose(agent, DESCRIPTION)
    assert response.status_code == 202, (response.status_code, response.text)
    location = response.headers["Location"]
    pending_path = urlsplit(location).path
    assert pending_path.startswith("/pending/")
    assert int(response.headers["Retry-After"]) >= 0
    requirement = http_sfv.Dictionary()
    requirement.parse(response.headers["AAuth-Requirement"].encode("ascii"))
    assert str(requirement["requirement"].value) == "approval"

    still_pending = ma.poll(agent, pending_path)
    assert still_pending.status_code == 202, (still_pending.status_code, still_pending.text)

    review = ma.find_review(pending_path.rsplit("/", 1)[-1], agent)
    decided = ma.approve(review["id"], scopes=["search"])
    assert decided.status_code in (200, 204), (decided.status_code, decided.text)

    polled = ma.poll(agent, pending_path)
    assert polled.status_code == 200, (polled.status_code, polled.text)
    approval = polled.json()
    assert approval["s256"] == s256(b64u_decode(approval["mission"]))
    assert json.loads(b64u_decode(approval["mission"]))["agent"] == agent.identity

    # The owner reads its mission; another agent gets the same 404 as for a mission that does not exist.
    mine = ma.signed(agent, "GET", f"/mission/{approval['s256']}")
    assert mine.status_code == 200, (mine.status_code, mine.text)
    stranger = JwtAgent(settings, unique("interop-stranger"))
    foreign = ma.signed(stranger, "GET", f"/mission/{approval['s256']}")
    missing = ma.signed(stranger, "GET", "/mission/" + "A" * 43)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json().get("error") == missing.json().get("error") == "mission_not_found"


def test_aauth_poller_completes_a_deferred_proposal(ma, settings):
    """aauth's own poll_pending_url drives the 202 (Location, Retry-After, AAuth-Requirement)."""
    agent = JwtAgent(settings, unique("interop-poller"))
    response = ma.propose(agent, DESCRIPTION)
    assert response.status_code == 202, (response.status_code, response.text)
    pending_path = urlsplit(response.headers["Location"]).path
    review = ma.find_review(pending_path.rsplit("/", 1)[-1], agent)
    assert ma.approve(review["id"], scopes=["search"]).status_code in (200, 204)

    def sign_and_send_get(url):
        return ma.poll(agent, urlsplit(url).path)

    result = aauth.poll_pending_url(settings.ma_url + pending_path, sign_and_send_get, max_polls=5,
                                    default_wait=1, initial_response=response)
    assert result.success, (result.status_code, result.error, result.error_description)
    assert result.response_body["s256"] == s256(b64u_decode(result.response_body["mission"]))
