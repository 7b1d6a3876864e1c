import Foundation
import MissionCore

/// The JSON shapes of MissionCore values on the wire. Times are RFC 3339 UTC;
/// absent optional members are left out rather than sent as `null`.
enum Representation {
    static func time(_ date: Date) -> WireJSON { .string(RFC3339.string(from: date)) }

    static func strings(_ values: [String]) -> WireJSON { .array(values.map { .string($0) }) }

    static func object(_ members: [String: WireJSON?]) -> WireJSON {
        .object(members.compactMapValues { $0 })
    }

    static func grant(_ grant: AccessGrant) -> WireJSON {
        let scopes: [String] =
            switch grant.scopes {
            case .any: ["*"]
            case .only(let list): list
            }
        return .object(["resource": .string(grant.resource.description), "scopes": strings(scopes)])
    }

    static func envelope(_ envelope: AccessEnvelope) -> WireJSON {
        object([
            "grants": .array(envelope.grants.map(grant)), "review": .array(envelope.review.map(grant)),
            "expires_at": envelope.expiresAt.map(time),
            "max_token_lifetime": .integer(Int64(envelope.maxTokenLifetime)),
        ])
    }

    /// The approval answer in the proposal's own form (DESIGN §3.2): the seed form nests
    /// `{"s256", "approved"}` under `mission`; the current form sends `s256` and the blob as
    /// base64url in `mission`.
    static func approval(_ mission: Mission) -> WireJSON {
        switch mission.approved.form {
        case .markdown:
            .object(["mission": .object(["s256": .string(mission.s256), "approved": .string(mission.approved.text)])])
        case .blob:
            .object(["s256": .string(mission.s256), "mission": .string(mission.approved.base64URL)])
        }
    }

    /// A mission with everything its owner or an admin may read.
    ///
    /// `EncodedMissionMemo` reuses this output while the mission and its `effectiveState(at: now)`
    /// are unchanged: anything else added here that depends on `now` must join the memo's key.
    static func mission(_ mission: Mission, at now: Date) -> WireJSON {
        let state = mission.effectiveState(at: now)
        var members: [String: WireJSON?] = [
            "s256": .string(mission.s256), "state": .string(state.rawValue), "agent": .string(mission.agent),
            "form": .string(mission.approved.form.rawValue), "approved": .string(mission.approved.text),
            "envelope": envelope(mission.effectiveEnvelope), "created_at": time(mission.createdAt),
            "approved_at": time(mission.approvedAt), "expires_at": mission.expiresAt.map(time),
            "terminated_at": mission.terminatedAt.map(time), "state_reason": mission.stateReason.map { .string($0) },
            "summary": mission.summary.map { .string($0) },
            "termination_reason": state.isTerminal ? .string(state.rawValue) : nil,
            "amendments": .array(mission.amendments.map(amendment)), "updates": .array(mission.updates.map(update)),
        ]
        if mission.approved.form == .blob { members["mission"] = .string(mission.approved.base64URL) }
        return object(members)
    }

    static func amendment(_ amendment: MissionAmendment) -> WireJSON {
        object([
            "s256": .string(amendment.s256), "sequence": .integer(Int64(amendment.sequence)),
            "added_grants": .array(amendment.addedGrants.map(grant)), "reviewer": .string(amendment.reviewer),
            "amended_at": time(amendment.amendedAt), "reason": amendment.reason.map { .string($0) },
        ])
    }

    static func update(_ update: MissionUpdate) -> WireJSON {
        .object([
            "s256": .string(update.s256), "sequence": .integer(Int64(update.sequence)),
            "description": .string(update.description), "accepted_at": time(update.acceptedAt),
        ])
    }

    static func review(_ review: Review, at now: Date) -> WireJSON {
        var members: [String: WireJSON?] = [
            "id": .string(review.id), "kind": .string(review.kind.rawValue),
            "state": .string(review.effectiveState(at: now).rawValue), "agent": .string(review.owner),
            "created_at": time(review.createdAt), "expires_at": time(review.expiresAt),
            "decided_by": review.decidedBy.map { .string($0) }, "decided_at": review.decidedAt.map(time),
            "result": review.resultReference.map { .string($0) },
            "open_question": review.openQuestion.map { .string($0) },
            "clarifications": .array(review.rounds.map(round)),
        ]
        switch review.subject {
        case .proposal(let proposal):
            members["proposal"] = object([
                "form": .string(proposal.form.rawValue), "text": .string(proposal.text),
                "tools": .array(
                    proposal.tools.map { .object(["name": .string($0.name), "description": .string($0.description)]) }),
                "resources": .array(proposal.resources.map(proposedResource)),
            ])
        case .accessRequest(let s256, let request, let outside):
            members["access_request"] = object([
                "mission_s256": .string(s256), "resource": .string(request.resource.description),
                "scopes": strings(request.scopes), "justification": request.justification.map { .string($0) },
                "outside_scopes": strings(outside),
            ])
        }
        return object(members)
    }

    static func proposedResource(_ resource: ProposedResource) -> WireJSON {
        var members: [String: WireJSON] = ["resource": .string(resource.resource.description)]
        switch resource.scopes {
        case .any?: members["scopes"] = strings(["*"])
        case .only(let list)?: members["scopes"] = strings(list)
        case nil: break
        }
        return .object(members)
    }

    static func round(_ round: ClarificationRound) -> WireJSON {
        object([
            "question": .string(round.question), "asked_by": .string(round.askedBy), "asked_at": time(round.askedAt),
            "answer": round.answer.map { .string($0) }, "answered_at": round.answeredAt.map(time),
        ])
    }

    static func auditEvent(_ event: AuditEvent) -> WireJSON {
        object([
            "seq": .integer(event.sequence), "time": .string(RFC3339.string(epochMilliseconds: event.timeMilliseconds)),
            "mission_s256": event.missionS256.map { .string($0) }, "actor": .string(event.actor),
            "actor_role": .string(event.actorRole.rawValue), "action": .string(event.action.rawValue),
            "resource": event.resource.map { .string($0) }, "scopes": event.scopes.map(strings),
            "decision": event.decision.map { .string($0) }, "reason": event.reason.map { .string($0) },
            "token_id": event.tokenID.map { .string($0) }, "details": .object(event.details.mapValues { .string($0) }),
            "prev_hash": .string(Base64URL.encode(event.previousHash)), "hash": .string(event.hashText),
        ])
    }

    static func delegationTree(_ tree: DelegationTree) -> WireJSON {
        .object([
            "root_agent": .string(tree.rootAgent), "roots": .array(tree.roots.map(node)),
            "unattached": .array(tree.unattached.map(edge)),
        ])
    }

    static func node(_ node: DelegationTree.Node) -> WireJSON {
        guard case .object(var members) = edge(node.edge) else { return .null }
        members["children"] = .array(node.children.map(Representation.node))
        return .object(members)
    }

    static func edge(_ edge: DelegationEdge) -> WireJSON {
        object([
            "agent": .string(edge.agent), "resource": .string(edge.resource), "jti": .string(edge.jti),
            "upstream_jti": edge.upstreamJTI.map { .string($0) }, "at": time(edge.at),
        ])
    }

    static func agentKey(_ key: RegisteredAgentKey) -> WireJSON {
        let jwk = (try? WireJSON.parse(Array(key.jwk.utf8))) ?? .string(key.jwk)
        return .object([
            "agent_id": .string(key.agentID), "thumbprint": .string(key.thumbprint), "name": .string(key.name),
            "jwk": jwk, "enabled": .bool(key.isEnabled), "registered_at": time(key.registeredAt),
        ])
    }

    /// `{"auth_token", "expires_in", "scope"}` as canonical JSON bytes, written member by member:
    /// the body of every granted token, so it skips the `WireJSON` tree and the generic encoder.
    static func issuedTokenBody(_ token: IssuedToken) -> [UInt8] {
        // `token_type` is left out (AAuth defines none); `scope` as in RFC 6749 §5.1.
        var object = CanonicalObjectWriter(capacity: token.token.utf8.count + 96)
        object.member("auth_token", string: token.token)
        object.member("expires_in", integer: Int64(token.expiresIn))
        object.member("scope", string: token.scopes.joined(separator: " "))
        return object.finish()
    }
}
