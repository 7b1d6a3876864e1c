import Foundation
import HTTPKit
import MissionCore
import Testing

@testable import MAServer

/// The mission listing's fast body (memoized per-mission bytes spliced into the page) against the
/// generic path (`Representation.mission` for every mission, the page tree through `CanonicalJSON`).
@Suite("Mission page body")
struct RoutesMissionPageTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    /// Strings a representation must escape or carry untouched: quotes, backslashes, every kind of
    /// control character the validators let through, non-ASCII in both normalization forms,
    /// supplementary characters, U+2028, a lone "\u{7F}".
    static let hostile = [
        #"plain"#, #"quote " and back\slash \\"#, "tab\tnew\nline\rcr", "caf\u{E9}", "cafe\u{301}",
        "emoji \u{1F600} and \u{FFFD} \u{E000}", "line\u{2028}separator\u{2029}", "del\u{7F}",
        "</script><!-- ", "nul-free \u{1}\u{1F}\u{8}\u{C}",
    ]

    /// A generic-path page body: exactly what `JSONResponse.make` writes for the page tree.
    static func genericBody(_ missions: [Mission], next: String?, at now: Date) -> [UInt8] {
        var members: [String: WireJSON] = ["missions": .array(missions.map { Representation.mission($0, at: now) })]
        if let next { members["next_cursor"] = .string(next) }
        return JSONResponse.make(.object(members)).body
    }

    static func genericBytes(_ mission: Mission, at now: Date) throws -> [UInt8] {
        try CanonicalJSON.encode(Representation.mission(mission, at: now))
    }

    static func approved(_ index: Int, form: ApprovedMission.Form, text: String) -> ApprovedMission {
        switch form {
        case .markdown: ApprovedMission(form: .markdown, bytes: Array("# Mission \(index)\n\n\(text)".utf8))
        case .blob:
            ApprovedMission(
                form: .blob, bytes: Array(#"{"approved_at":"2026-04-07T14:30:00Z","description":"\#(index)"}"#.utf8))
        }
    }

    static func grant(_ resource: String, _ scopes: [String]) throws -> AccessGrant {
        try AccessGrant(resource: resource, scopes: scopes)
    }

    /// Missions in every state and shape: both forms, with and without expiry (some already past),
    /// envelopes with review entries and `*` scopes, amendments with and without reasons, updates,
    /// hostile free text in every string member, approved bytes that are not valid UTF-8.
    static func variedMissions() throws -> [Mission] {
        var missions: [Mission] = []
        for index in 0..<60 {
            let text = hostile[index % hostile.count]
            var approved = approved(index, form: index % 2 == 0 ? .markdown : .blob, text: text)
            if index % 17 == 5 {
                approved = ApprovedMission(
                    form: .markdown, bytes: [0x23, 0x20, 0xFF, 0xC3, 0x28] + Array("\(index)".utf8))
            }
            let expiresAt: Date? =
                switch index % 4 {
                case 0: nil
                case 1: start + 3_600
                case 2: start - 10
                default: start
                }
            let envelope = try AccessEnvelope(
                grants: [try grant("https://flights.example", ["search", "book"])],
                review: index % 3 == 0 ? [try grant("https://*.hotels.example:8443", ["*"])] : [],
                expiresAt: expiresAt, maxTokenLifetime: 60 + index)
            var mission = Mission(
                approved: approved, agent: "aauth:\(text)@agent.example", envelope: envelope, createdAt: start - 100,
                approvedAt: start - 50, expiresAt: expiresAt, state: index % 11 == 3 ? .proposed : .active)
            let early = start - 40
            if index % 5 == 1, mission.state == .active {
                try mission.append(
                    try MissionAmendment(
                        missionS256: mission.s256, sequence: 1,
                        addedGrants: [try grant("https://api.example", ["read"])], reviewer: "key \(text)",
                        amendedAt: early, reason: index % 2 == 0 ? text : nil), at: early)
            }
            if index % 7 == 2, mission.state == .active {
                try mission.append(
                    try MissionUpdate(
                        missionS256: mission.s256, sequence: 1,
                        description: "Now: \"quoted\" \\ cafe\u{301}\t\u{2028}\r\n",
                        acceptedAt: early),
                    at: early)
            }
            switch mission.state == .active ? index % 6 : 0 {
            case 1: try mission.apply(.suspend, at: early, reason: text)
            case 2: try mission.apply(.complete, at: early, reason: nil, summary: "Done: \(text)")
            case 3: try mission.apply(.revoke, at: early, reason: text)
            case 4: mission.expireIfDue(at: start)
            default: break
            }
            missions.append(mission)
        }
        return missions
    }

    @Test(
        "the fast page equals the generic page, on a cold memo and from the memo",
        arguments: [nil, "MTIz", "hostile \"cursor\"\\\n\u{1}\u{E9}\u{1F600}"] as [String?])
    func pageBytes(next: String?) throws {
        let missions = try Self.variedMissions()
        let memo = EncodedMissionMemo()
        for count in [0, 1, 2, 50, missions.count] {
            let page = Page(items: Array(missions.prefix(count)), nextCursor: next)
            let expected = Self.genericBody(page.items, next: next, at: Self.start)
            for _ in 0..<2 {
                let response = JSONResponse.missionPage(page, at: Self.start, memo: memo)
                #expect(response.body == expected)
                #expect(response.status == .ok)
                #expect(response.headers["Content-Type"] == "application/json")
                #expect(response.headers["Cache-Control"] == "no-store")
            }
        }
        // Everything but the first sight of each mission came from the memo.
        #expect(memo.hits == 2 * (0 + 1 + 2 + 50 + missions.count) - missions.count)
    }

    @Test("an empty page: no missions, with and without a cursor")
    func emptyPage() {
        let memo = EncodedMissionMemo()
        #expect(
            text(JSONResponse.missionPage(Page(items: [], nextCursor: nil), at: Self.start, memo: memo))
                == #"{"missions":[]}"#)
        #expect(
            text(JSONResponse.missionPage(Page(items: [], nextCursor: "a\"b"), at: Self.start, memo: memo))
                == #"{"missions":[],"next_cursor":"a\"b"}"#)
    }

    static let changeNames = [
        "suspended", "resumed", "revoked", "amended", "amended again", "updated",
        "reason: other bytes, canonically equal", "update: other bytes, canonically equal",
        "expiry passes, nothing recorded", "expiry recorded",
    ]

    /// One mission, and what each change does to it: (name, before, after, time of the later read).
    static func changes() throws -> [(String, Mission, Mission, Date)] {
        let early = start - 40
        let envelope = try AccessEnvelope(
            grants: [try grant("https://flights.example", ["search"])], expiresAt: start + 60)
        let base = Mission(
            approved: approved(1, form: .markdown, text: "x"), agent: "aauth:a@agent.example", envelope: envelope,
            createdAt: start - 100, approvedAt: start - 50, expiresAt: start + 60)
        var suspended = base
        try suspended.apply(.suspend, at: early, reason: "caf\u{E9}")
        // Canonically equivalent to the reason above (so `==` calls them equal), other bytes.
        var suspendedNFD = base
        try suspendedNFD.apply(.suspend, at: early, reason: "cafe\u{301}")
        var resumed = suspended
        try resumed.apply(.resume, at: early)
        var revoked = base
        try revoked.apply(.revoke, at: early, reason: "caf\u{E9}")
        var amended = base
        try amended.append(
            try MissionAmendment(
                missionS256: base.s256, sequence: 1, addedGrants: [try grant("https://api.example", ["read"])],
                reviewer: "r", amendedAt: early, reason: nil), at: early)
        var amendedTwice = amended
        try amendedTwice.append(
            try MissionAmendment(
                missionS256: base.s256, sequence: 2, addedGrants: [try grant("https://api.example", ["write"])],
                reviewer: "r", amendedAt: early, reason: "more"), at: early)
        var updated = base
        try updated.append(
            try MissionUpdate(missionS256: base.s256, sequence: 1, description: "new plan", acceptedAt: early),
            at: early)
        var updatedNFD = base
        try updatedNFD.append(
            try MissionUpdate(missionS256: base.s256, sequence: 1, description: "new plan\u{301}", acceptedAt: early),
            at: early)
        var updatedNFC = base
        try updatedNFC.append(
            try MissionUpdate(missionS256: base.s256, sequence: 1, description: "new pla\u{144}", acceptedAt: early),
            at: early)
        var recordedExpiry = base
        recordedExpiry.expireIfDue(at: start + 61)
        return [
            ("suspended", base, suspended, start), ("resumed", suspended, resumed, start),
            ("revoked", suspended, revoked, start), ("amended", base, amended, start),
            ("amended again", amended, amendedTwice, start), ("updated", base, updated, start),
            ("reason: other bytes, canonically equal", suspended, suspendedNFD, start),
            ("update: other bytes, canonically equal", updatedNFD, updatedNFC, start),
            ("expiry passes, nothing recorded", base, base, start + 60),
            ("expiry recorded", base, recordedExpiry, start + 61),
        ]
    }

    @Test("a changed mission is never served from the memo", arguments: changeNames)
    func neverStale(name: String) throws {
        let (_, before, after, later) = try #require(try Self.changes().first { $0.0 == name })
        #expect(before.s256 == after.s256)
        let memo = EncodedMissionMemo()
        let first = try memo.encoded(before, at: Self.start)
        #expect(try memo.encoded(before, at: Self.start) == first)
        #expect(memo.hits == 1)
        let changed = try memo.encoded(after, at: later)
        #expect(changed != first, "\(name)")
        #expect(changed == (try Self.genericBytes(after, at: later)), "\(name)")
        #expect(memo.hits == 1, "\(name)")
        // The changed bytes replace the old ones, and are then served from the memo.
        #expect(try memo.encoded(after, at: later) == changed)
        #expect(memo.hits == 2)
        #expect(memo.count == 1)
    }

    @Test("every change above is one of the test's arguments")
    func changesListed() throws {
        #expect(try Self.changes().map(\.0) == Self.changeNames)
    }

    @Test("the memo reuses bytes across times at which the state is the same")
    func sameStateLater() throws {
        let mission = try #require(try Self.variedMissions().first { $0.expiresAt == Self.start + 3_600 })
        let memo = EncodedMissionMemo()
        let first = try memo.encoded(mission, at: Self.start)
        #expect(try memo.encoded(mission, at: Self.start + 3_599) == first)
        #expect(memo.hits == 1)
        #expect(
            try memo.encoded(mission, at: Self.start + 3_600)
                == (try Self.genericBytes(mission, at: Self.start + 3_600)))
        #expect(memo.hits == 1)
    }

    @Test("bounded: past its capacity or byte budget it starts over, and answers correctly throughout")
    func bounds() throws {
        let missions = try Self.variedMissions()
        let small = EncodedMissionMemo(capacity: 4)
        for mission in missions {
            #expect(try small.encoded(mission, at: Self.start) == (try Self.genericBytes(mission, at: Self.start)))
            #expect(small.count <= 4)
        }
        let sizes = try missions.map { try Self.genericBytes($0, at: Self.start).count }
        let tight = EncodedMissionMemo(byteBudget: 2 * (sizes.max() ?? 0))
        for mission in missions {
            #expect(try tight.encoded(mission, at: Self.start) == (try Self.genericBytes(mission, at: Self.start)))
            #expect(tight.byteCount <= tight.byteBudget)
            #expect(tight.count >= 1)
        }
        let tiny = EncodedMissionMemo(byteBudget: 10)
        #expect(try tiny.encoded(missions[0], at: Self.start) == (try Self.genericBytes(missions[0], at: Self.start)))
        #expect(tiny.count == 0)
        #expect(tiny.byteCount == 0)
    }

    @Test("shared by concurrent readers while missions change")
    func concurrentReaders() async throws {
        let missions = try Self.variedMissions()
        let changed = try missions.map { mission -> Mission in
            var next = mission
            if next.effectiveState(at: Self.start) == .active {
                try next.apply(.suspend, at: Self.start, reason: "busy")
            }
            return next
        }
        let expected = try missions.map { try Self.genericBytes($0, at: Self.start) }
        let expectedChanged = try changed.map { try Self.genericBytes($0, at: Self.start) }
        let memo = EncodedMissionMemo(capacity: 16)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mismatches = 0
                    for round in 0..<300 {
                        let index = (round * 7 + worker) % missions.count
                        let useChanged = (round + worker) % 2 == 0
                        let mission = useChanged ? changed[index] : missions[index]
                        let bytes = try? memo.encoded(mission, at: Self.start)
                        if bytes != (useChanged ? expectedChanged[index] : expected[index]) { mismatches += 1 }
                    }
                    return mismatches
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test("byte equality of strings is not canonical equivalence")
    func sameBytes() {
        #expect("caf\u{E9}" == "cafe\u{301}")
        #expect(!EncodedMissionMemo.sameBytes("caf\u{E9}", "cafe\u{301}"))
        #expect(EncodedMissionMemo.sameBytes("caf\u{E9}", "caf\u{E9}"))
        #expect(EncodedMissionMemo.sameBytes("", ""))
        #expect(!EncodedMissionMemo.sameBytes("a", "b"))
        #expect(EncodedMissionMemo.sameBytes(nil as String?, nil))
        #expect(!EncodedMissionMemo.sameBytes("a", nil))
    }

    // MARK: Through the routes

    /// `GET /missions` as the generic path would have answered it, from the same database rows.
    static func genericListing(_ ma: TestMA, limit: Int = 50, cursor: String? = nil) throws -> [UInt8] {
        let page = try ma.app.authority.missions(cursor: cursor, limit: limit)
        return genericBody(page.items, next: page.nextCursor, at: ma.now)
    }

    /// Each listed mission's `state`, by `s256`, as the listing shows it.
    static func states(_ ma: TestMA) async throws -> [String: String] {
        let missions = try json(await ma.admin(.get, "/missions"))["missions"]?.arrayValue ?? []
        var states: [String: String] = [:]
        for mission in missions {
            states[try #require(mission["s256"]?.stringValue)] = mission["state"]?.stringValue
        }
        return states
    }

    @Test("GET /missions: the same bytes as the generic path, before and after lifecycle changes and an expiry")
    func listingThroughRoutes() async throws {
        try await TestMA.with { ma in
            let agent = try TestAgent.jwt(now: ma.now)
            let lasting = try await ma.approvedMission(for: agent)
            let brief = try await ma.approvedMission(for: agent, expiresIn: 120)
            let other = try await ma.approvedMission(for: agent)
            func listing(_ target: String = "/missions") async throws -> [UInt8] {
                let response = await ma.admin(.get, target)
                #expect(response.status == .ok)
                return response.body
            }
            let first = try await listing()
            #expect(first == (try Self.genericListing(ma)))
            #expect(try await listing() == first)
            // Pages with a cursor.
            let paged = await ma.admin(.get, "/missions?limit=2")
            #expect(paged.body == (try Self.genericListing(ma, limit: 2)))
            let cursor = try #require(try json(paged)["next_cursor"]?.stringValue)
            #expect(
                await ma.admin(.get, "/missions?limit=2&cursor=\(cursor)").body
                    == (try Self.genericListing(ma, limit: 2, cursor: cursor)))

            #expect(
                await ma.admin(.post, "/missions/\(lasting)/suspend", json: #"{"reason":"caf\u00e9"}"#).status == .ok)
            let suspended = try await listing()
            #expect(suspended != first)
            #expect(suspended == (try Self.genericListing(ma)))
            #expect(await ma.admin(.post, "/missions/\(lasting)/resume").status == .ok)
            #expect(await ma.admin(.post, "/missions/\(other)/revoke", json: #"{"reason":"done"}"#).status == .ok)
            let changed = try await listing()
            #expect(changed == (try Self.genericListing(ma)))
            #expect(try await Self.states(ma) == [other: "revoked", brief: "active", lasting: "active"])

            // The brief mission's expiry passes with nothing recorded: the listing shows it expired.
            ma.clock.advance(by: 121)
            let expired = try await listing()
            #expect(expired != changed)
            #expect(expired == (try Self.genericListing(ma)))
            #expect(try await Self.states(ma) == [other: "revoked", brief: "expired", lasting: "active"])
        }
    }
}
